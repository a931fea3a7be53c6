package dev.stepbystep.worker.process;

import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.ExternalProducer;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.testing.RedisKeys;
import dev.stepbystep.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Factor IX with the packaged worker as a real process: kill -9 loses no job, and SIGTERM lets
 * in-flight jobs finish, or hands them back at once when they outlast the grace period.
 */
class WorkerCrashIT {

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final String prefix = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    private RespClient redis;
    private ExternalProducer producer;

    @BeforeEach
    void connect() {
        redis = RespClient.connect(services);
        producer = new ExternalProducer(redis, prefix);
    }

    @AfterEach
    void cleanUp() {
        redis.close();
        RedisKeys.deleteAll(services, prefix + ":*");
    }

    private Map<String, String> env(String visibility, String grace) {
        Map<String, String> env = new HashMap<>(services.asEnvironment());
        env.put("SECRET_KEY", "crash-test-" + UUID.randomUUID() + UUID.randomUUID());
        env.put("APP_QUEUE_PREFIX", prefix);
        env.put("WORKER_CONCURRENCY", "4");
        env.put("WORKER_VISIBILITY_TIMEOUT", visibility);
        env.put("WORKER_SHUTDOWN_GRACE", grace);
        return env;
    }

    private static void awaitReady(PackagedService worker) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast("worker died:\n" + worker.outputText(), () -> !worker.process().isAlive())
                .until(() -> worker.status("/q/health/ready") == 200);
    }

    @Test
    void killingAWorkerMidJobLosesNothing() {
        List<String> ids = producer.enqueue("core.debug_task", "{\"sleepMs\":300}", 40);
        try (PackagedService first = PackagedService.start(env("3S", "25S"))) {
            awaitReady(first);
            await().atMost(Duration.ofSeconds(30)).until(() -> producer.count(ids, "running") > 0);
            first.kill();
            first.awaitExit(Duration.ofSeconds(10));
        }
        long finishedBeforeRestart = producer.count(ids, "succeeded");
        assertThat(finishedBeforeRestart).as("the first worker was killed mid-run").isLessThan(ids.size());

        try (PackagedService second = PackagedService.start(env("3S", "25S"))) {
            awaitReady(second);
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> producer.count(ids, "succeeded") == ids.size());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                StringBuilder states = new StringBuilder();
                for (String state : List.of("queued", "running", "retrying", "succeeded", "failed", "dead")) {
                    states.append(state).append('=').append(producer.count(ids, state)).append(' ');
                }
                for (String id : ids) {
                    if (!"succeeded".equals(producer.state(id))) {
                        states.append("\n").append(id).append(": ").append(redis.call("HGETALL", prefix + ":job:" + id));
                    }
                }
                states.append("\npending: ").append(redis.call("XPENDING", prefix + ":q:default", "workers", "-", "+", "100"));
                states.append("\nstream: ").append(redis.call("XRANGE", prefix + ":q:default", "-", "+"));
                throw new AssertionError("not every job succeeded: " + states + "\nsecond worker:\n" + second.outputText(), e);
            }
            assertThat(second.outputText()).contains("reclaimed");
        }
        assertThat(producer.count(ids, "dead")).isZero();
    }

    @Test
    void sigtermLetsInFlightJobsFinish() {
        try (PackagedService worker = PackagedService.start(env("5M", "25S"))) {
            awaitReady(worker);
            List<String> ids = producer.enqueue("core.debug_task", "{\"sleepMs\":1500}", 4);
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.count(ids, "running") == 4);

            worker.terminate();
            worker.awaitExit(Duration.ofSeconds(20));

            assertThat(producer.count(ids, "succeeded")).isEqualTo(4);
        }
    }

    @Test
    void sigtermHandsBackJobsThatOutlastTheGraceAtOnce() {
        List<String> ids;
        try (PackagedService worker = PackagedService.start(env("5M", "1S"))) {
            awaitReady(worker);
            ids = producer.enqueue("core.debug_task", "{\"sleepMs\":60000}", 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.count(ids, "running") == 2);

            long stopAt = System.nanoTime();
            worker.terminate();
            worker.awaitExit(Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isLessThan(Duration.ofSeconds(10));
        }
        // Back on the queue now, not after the 5-minute visibility timeout, with the attempt undone.
        assertThat(producer.count(ids, "queued")).isEqualTo(2);
        ids.forEach(id -> assertThat(producer.field(id, "attempts")).isEqualTo("0"));

        try (PackagedService next = PackagedService.start(env("5M", "1S"))) {
            awaitReady(next);
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.count(ids, "running") == 2);
        }
    }
}
