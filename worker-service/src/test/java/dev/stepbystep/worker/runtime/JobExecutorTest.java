package dev.stepbystep.worker.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.jobs.PayloadCodec;
import dev.stepbystep.jobs.broker.Outcome;
import dev.stepbystep.jobs.broker.StartedJob;
import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import dev.stepbystep.worker.LoopsOffProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The executor alone, with a handler of the test's own: each attempt's outcome comes out
 * exactly once, whether the handler returns, throws, overruns its time limit or is handed back.
 */
@QuarkusTest
@TestProfile(LoopsOffProfile.class)
class JobExecutorTest {

    @Inject
    PayloadCodec payloads;

    @Inject
    ObjectMapper json;

    @Inject
    WorkerMetrics metrics;

    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final Semaphore slots = new Semaphore(0);
    private volatile Behaviour behaviour;
    private JobExecutor executor;

    interface Behaviour {
        Object run(DebugSleep payload) throws Exception;
    }

    private JobExecutor executor() {
        JobHandler<DebugSleep> handler = new JobHandler<>() {
            @Override
            public TaskDefinition<DebugSleep> task() {
                return Tasks.DEBUG;
            }

            @Override
            public Object handle(DebugSleep payload, JobContext context) throws Exception {
                return behaviour.run(payload);
            }
        };
        executor = new JobExecutor(Map.of(Tasks.DEBUG.name(), handler), payloads, json, metrics, new Leases(), outcomes::add, slots, JobTracing.off());
        return executor;
    }

    @AfterEach
    void stop() {
        if (executor != null) {
            executor.shutdown();
        }
    }

    private static StartedJob job(String task, String payload, int attempt, long limitMs) {
        return new StartedJob("default", "1-0", UUID.randomUUID().toString(), attempt, task, payload, 3, limitMs, System.currentTimeMillis());
    }

    @Test
    void aResultIsRecordedOnceAsJson() {
        behaviour = p -> Map.of("slept", p.sleepMs());
        executor().execute(job(Tasks.DEBUG.name(), "{\"sleepMs\":7}", 1, 1000));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(Outcome.Kind.OK);
            assertThat(o.data()).isEqualTo("{\"slept\":7}");
        });
    }

    @Test
    void aThrowingHandlerIsRetriedAndAPermanentFailureIsDead() {
        behaviour = p -> {
            throw new IllegalStateException("remote down");
        };
        executor().execute(job(Tasks.DEBUG.name(), "{\"sleepMs\":0}", 1, 1000));
        behaviour = p -> {
            throw new PermanentJobFailure("bad input");
        };
        executor.execute(job(Tasks.DEBUG.name(), "{\"sleepMs\":0}", 1, 1000));
        assertThat(outcomes).extracting(Outcome::kind).containsExactly(Outcome.Kind.RETRY, Outcome.Kind.DEAD);
        assertThat(outcomes.get(0).data()).startsWith("java.lang.IllegalStateException: remote down");
    }

    @Test
    void aBadPayloadOrAnUnknownTaskIsDeadWithoutRunning() {
        behaviour = p -> {
            throw new AssertionError("must not run");
        };
        executor().execute(job(Tasks.DEBUG.name(), "{\"sleepMs\":-5}", 1, 1000));
        executor.execute(job("no.such_task", "{}", 1, 1000));
        assertThat(outcomes).extracting(Outcome::kind).containsExactly(Outcome.Kind.DEAD, Outcome.Kind.DEAD);
        assertThat(outcomes.get(1).data()).contains("unknown task 'no.such_task'");
    }

    @Test
    void aJobPastItsTimeLimitIsInterruptedByTheWatchdogCheckAndRetried() {
        CountDownLatch started = new CountDownLatch(1);
        behaviour = p -> {
            started.countDown();
            new CountDownLatch(1).await(); // runs until interrupted
            return null;
        };
        executor().launch(job(Tasks.DEBUG.name(), "{\"sleepMs\":0}", 1, 500));
        await().until(() -> started.getCount() == 0);
        executor.interruptOverdue(System.nanoTime()); // before the limit: nothing happens
        assertThat(executor.inFlight()).isEqualTo(1);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> {
            executor.interruptOverdue(System.nanoTime());
            return outcomes.size() == 1;
        });
        assertThat(outcomes.get(0).kind()).isEqualTo(Outcome.Kind.RETRY);
        assertThat(outcomes.get(0).data()).isEqualTo("time limit of 500 ms exceeded");
        await().atMost(Duration.ofSeconds(5)).until(() -> slots.availablePermits() == 1); // its slot is back
    }

    @Test
    void aJobHandedBackAtShutdownIsRequeuedOnceAndItsLateEndIgnored() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        behaviour = p -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // runs until interrupted
            } catch (InterruptedException e) {
                return "ended anyway"; // a handler that swallows the interrupt
            }
            return null;
        };
        executor().launch(job(Tasks.DEBUG.name(), "{\"sleepMs\":0}", 1, 120_000));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.handBackAll()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> executor.inFlight() == 0);
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(Outcome.Kind.REQUEUE);
            assertThat(o.data()).isEqualTo("worker shutdown");
        });
    }
}
