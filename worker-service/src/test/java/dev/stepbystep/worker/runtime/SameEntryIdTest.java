package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.broker.BlockingRedisConnection;
import dev.stepbystep.jobs.broker.Delivery;
import dev.stepbystep.jobs.broker.Outcome;
import dev.stepbystep.jobs.broker.StartedJob;
import dev.stepbystep.jobs.broker.WorkerBroker;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.JobRequest;
import dev.stepbystep.jobs.client.JobState;
import dev.stepbystep.jobs.client.JobStatus;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import dev.stepbystep.worker.LoopsOffProfile;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stream entry ids are unique within one queue's stream only: a bulk enqueue over two queues
 * gives their first entries the same id (same millisecond, sequence 0, 1, ...). The worker's
 * bookkeeping of entries (start marks its outcomes wait for, leases it renews) must tell them
 * apart by queue. Seen before this test: the second queue's outcome skipped its mark, was
 * refused by Redis, and the job ran again once its lease lapsed.
 */
@QuarkusTest
@TestProfile(LoopsOffProfile.class)
class SameEntryIdTest {

    private static final String ENTRY = "1-1";
    private static final String WORKER = "same-entry-test";

    @Inject
    JobQueue queue;

    @Inject
    WorkerBroker broker;

    @Inject
    QueueConfig config;

    @Inject
    RedisDataSource redis;

    private final String queueA = "entries-a-" + UUID.randomUUID().toString().substring(0, 8);
    private final String queueB = "entries-b-" + UUID.randomUUID().toString().substring(0, 8);
    private BlockingRedisConnection connection;
    private OutcomeRecorder recorder;

    @BeforeEach
    void open() throws Exception {
        connection = broker.openReadConnection();
    }

    @AfterEach
    void close() {
        if (recorder != null) {
            recorder.stop(Duration.ofSeconds(5));
        }
        connection.close();
    }

    /** One job in each queue, delivered to this test under the same entry id in both streams. */
    private List<StartedJob> twoJobsUnderOneEntryId() throws Exception {
        List<JobQueue.Enqueued> enqueued = queue.enqueueAll(List.of(
                JobRequest.of(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue(queueA)),
                JobRequest.of(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue(queueB))));
        KeySchema keys = new KeySchema(config.prefix());
        for (String q : List.of(queueA, queueB)) {
            // The same entry again under a fixed id, so the collision does not depend on the clock.
            Response entry = redis.execute("XRANGE", keys.stream(q), "-", "+").get(0);
            List<String> args = new ArrayList<>(List.of(keys.stream(q), ENTRY));
            entry.get(1).forEach(field -> args.add(field.toString()));
            redis.execute("DEL", keys.stream(q));
            redis.execute("XADD", args.toArray(String[]::new));
            broker.ensureGroup(q);
        }
        List<Delivery> deliveries = broker.read(connection, List.of(queueA, queueB), WORKER, 10, Duration.ofMillis(100));
        assertThat(deliveries).extracting(Delivery::streamId).containsExactly(ENTRY, ENTRY);
        assertThat(deliveries).extracting(Delivery::jobId)
                .containsExactly(enqueued.get(0).jobId(), enqueued.get(1).jobId());
        return deliveries.stream().map(Delivery::job).toList();
    }

    /** How long the one pending entry of {@code queue} has been idle (since its delivery or last renewal). */
    private long idleMs(String queue) {
        Response pending = redis.execute("XPENDING", new KeySchema(config.prefix()).stream(queue), KeySchema.GROUP, "-", "+", "10");
        assertThat(pending.size()).isEqualTo(1);
        return pending.get(0).get(2).toLong();
    }

    private JobState state(StartedJob job) {
        return queue.status(job.jobId()).map(JobStatus::state).orElse(null);
    }

    @Test
    void anOutcomeWaitsForItsOwnJobsMarkNotForTheOtherQueuesEntryOfTheSameId() throws Exception {
        List<StartedJob> jobs = twoJobsUnderOneEntryId();
        StartedJob a = jobs.get(0);
        StartedJob b = jobs.get(1);
        Leases leases = new Leases();
        recorder = new OutcomeRecorder(broker, config.redisTimeout(), leases, new OutageLog());
        CompletableFuture<Boolean> markedA = new CompletableFuture<>();
        CompletableFuture<Boolean> markedB = new CompletableFuture<>();
        recorder.expectMark(a, markedA);
        recorder.expectMark(b, markedB);
        recorder.start();

        assertThat(broker.mark(queueA, WORKER, List.of(a)).await().atMost(Duration.ofSeconds(5))).isEmpty();
        markedA.complete(true);
        recorder.record(new Outcome(a, Outcome.Kind.OK, "{}", 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> state(a) == JobState.SUCCEEDED);

        // B finished before its mark reached Redis: its outcome has to wait for that mark.
        recorder.record(new Outcome(b, Outcome.Kind.OK, "{}", 0));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> state(b) == JobState.QUEUED);
        assertThat(broker.mark(queueB, WORKER, List.of(b)).await().atMost(Duration.ofSeconds(5))).isEmpty();
        markedB.complete(true);

        await().atMost(Duration.ofSeconds(5)).until(() -> state(b) == JobState.SUCCEEDED);
        assertThat(queue.status(b.jobId()).orElseThrow().attempts()).isEqualTo(1);
        KeySchema keys = new KeySchema(config.prefix());
        assertThat(redis.execute("XLEN", keys.stream(queueB)).toLong()).as("B's entry acknowledged and deleted").isZero();
    }

    @Test
    void releasingOneQueuesEntryKeepsRenewingTheOtherQueuesEntryOfTheSameId() throws Exception {
        List<StartedJob> jobs = twoJobsUnderOneEntryId();
        Leases leases = new Leases();
        leases.hold(queueA, ENTRY);
        leases.hold(queueB, ENTRY);
        leases.release(queueA, ENTRY); // A's outcome recorded; B still running

        await().atMost(Duration.ofSeconds(5)).until(() -> idleMs(queueB) >= 500);
        leases.renew(broker, WORKER, Duration.ofSeconds(15));

        assertThat(idleMs(queueB)).as("idle ms of B's entry after the renewal").isLessThan(400);
        assertThat(jobs).hasSize(2);
    }
}
