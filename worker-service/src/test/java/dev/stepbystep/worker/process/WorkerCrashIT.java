package dev.stepbystep.worker.process;

import dev.stepbystep.jobs.LuaSource;
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
 * Factor IX with the packaged worker as a real process: kill -9 loses no job (another worker
 * restarts it once its lease lapses), a frozen worker's stale outcome loses nothing, a long job
 * on a live worker is never redelivered, and SIGTERM lets in-flight jobs finish, or hands them
 * back at once when they outlast the grace period.
 */
class WorkerCrashIT {

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final String prefix = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    private RespClient redis;
    private ExternalProducer producer;

    @BeforeEach
    void connect() {
        redis = RespClient.connect(services);
        producer = new ExternalProducer(redis, prefix, LuaSource.resolve("jobs/enqueue.lua"));
    }

    @AfterEach
    void cleanUp() {
        redis.close();
        RedisKeys.deleteAll(services, prefix + ":*");
    }

    /** A worker's environment; {@code lease} null keeps the default WORKER_LEASE. */
    private Map<String, String> env(String lease, String grace) {
        Map<String, String> env = new HashMap<>(services.asEnvironment());
        env.put("SECRET_KEY", "crash-test-" + UUID.randomUUID() + UUID.randomUUID());
        env.put("APP_QUEUE_PREFIX", prefix);
        env.put("WORKER_CONCURRENCY", "4");
        if (lease != null) {
            env.put("WORKER_LEASE", lease);
        }
        env.put("WORKER_SHUTDOWN_GRACE", grace);
        return env;
    }

    private Map<String, String> env(String lease, String grace, int concurrency) {
        Map<String, String> env = env(lease, grace);
        env.put("WORKER_CONCURRENCY", Integer.toString(concurrency));
        return env;
    }

    private static void awaitReady(PackagedService worker) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast("worker died:\n" + worker.outputText(), () -> !worker.process().isAlive())
                .until(() -> worker.status("/q/health/ready") == 200);
    }

    /** The pid in the worker id a job's hash names (host-pid-random), or -1. */
    private long runningOn(String id) {
        String worker = producer.field(id, "worker");
        if (worker == null) {
            return -1;
        }
        String[] parts = worker.split("-");
        return parts.length >= 2 ? Long.parseLong(parts[parts.length - 2]) : -1;
    }

    private String describe(List<String> ids, PackagedService... workers) {
        StringBuilder states = new StringBuilder();
        for (String state : List.of("queued", "running", "retrying", "succeeded", "dead")) {
            states.append(state).append('=').append(producer.count(ids, state)).append(' ');
        }
        for (String id : ids) {
            if (!"succeeded".equals(producer.state(id))) {
                states.append("\n").append(id).append(": ").append(redis.call("HGETALL", prefix + ":job:" + id));
            }
        }
        states.append("\npending: ").append(redis.call("XPENDING", prefix + ":q:default", "workers", "-", "+", "100"));
        for (PackagedService w : workers) {
            states.append("\nworker ").append(w.process().pid()).append(":\n").append(w.outputText());
        }
        return states.toString();
    }

    /** Default settings: a worker killed with jobs in flight has them finished by another within 30 s. */
    @Test
    void jobsOfAKilledWorkerFinishOnAnotherWithinThirtySeconds() {
        try (PackagedService victim = PackagedService.start(env(null, "25S"));
             PackagedService survivor = PackagedService.start(env(null, "25S"))) {
            awaitReady(victim);
            awaitReady(survivor);
            // Two jobs per slot of the two workers: each holds four, four wait.
            List<String> ids = producer.enqueue("core.debug_task", "{\"sleepMs\":1000}", 8);
            await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().filter(id -> runningOn(id) == victim.process().pid()).count() > 0);
            List<String> victims = ids.stream().filter(id -> runningOn(id) == victim.process().pid()
                    && "running".equals(producer.state(id))).toList();
            assertThat(victims).isNotEmpty();

            long killedAt = System.nanoTime();
            victim.kill();
            victim.awaitExit(Duration.ofSeconds(10));
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> producer.count(ids, "succeeded") == ids.size());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("not every job finished within 30 s of the kill: " + describe(ids, survivor), e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
            victims.forEach(id -> assertThat(runningOn(id)).as("job %s finished on the survivor", id).isEqualTo(survivor.process().pid()));
            assertThat(took).isLessThan(Duration.ofSeconds(30));
            assertThat(survivor.outputText()).contains("reclaimed");
            assertThat(producer.count(ids, "dead")).isZero();
        }
    }

    /**
     * A worker frozen past its lease loses the job to another; when it thaws, the outcome of its
     * old attempt must not remove the new owner's delivery, or the job is lost: the new owner is
     * killed first (so its attempt can never end and race the old one), then the frozen worker
     * thaws, finishes its old attempt (not recorded: a newer attempt holds the job), and takes
     * the job over from the dead owner; it finishes, recorded once. With concurrency 1 the old
     * attempt holds the thawed worker's only slot, so the takeover cannot start before the old
     * attempt's handler returned, and its 8-second attempt is still running when the old outcome
     * arrives: the job is "running" then in every order.
     */
    @Test
    void aThawedWorkersStaleOutcomeDoesNotLoseTheJobItsSuccessorHolds() {
        try (PackagedService frozen = PackagedService.start(env("2S", "25S", 1))) {
            awaitReady(frozen);
            // Long enough that the successor is still running it when it is killed, and that a
            // takeover's attempt is still running when the old outcome arrives.
            List<String> ids = producer.enqueue("core.debug_task", "{\"sleepMs\":8000}", 1);
            String id = ids.get(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(producer.state(id)));
            frozen.pause();
            try (PackagedService successor = PackagedService.start(env("2S", "25S", 1))) {
                awaitReady(successor);
                await().atMost(Duration.ofSeconds(20)).until(() -> runningOn(id) == successor.process().pid());
                assertThat(producer.field(id, "attempts")).isEqualTo("2");

                successor.kill();
                successor.awaitExit(Duration.ofSeconds(10));
                frozen.resume();
                // The thawed worker finishes its old attempt and tries to record it.
                await().atMost(Duration.ofSeconds(15)).until(() -> frozen.outputText().contains("not recorded"));
                assertThat(producer.state(id)).as(describe(ids, frozen, successor)).isEqualTo("running");
            }
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> "succeeded".equals(producer.state(id)));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the job was lost: " + describe(ids, frozen), e);
            }
            assertThat(producer.field(id, "attempts")).isEqualTo("3");
            assertThat(runningOn(id)).isEqualTo(frozen.process().pid());
            assertThat((Long) redis.call("XLEN", prefix + ":q:default")).as("its entry acknowledged and deleted").isZero();
        }
    }

    /** The lease is renewed while a job runs: a job that runs for several leases is never redelivered. */
    @Test
    void aJobRunningLongerThanTheLeaseOnAHealthyWorkerIsNotRedelivered() {
        try (PackagedService a = PackagedService.start(env("2S", "25S", 2));
             PackagedService b = PackagedService.start(env("2S", "25S", 2))) {
            awaitReady(a);
            awaitReady(b);
            List<String> ids = producer.enqueue("core.debug_task", "{\"sleepMs\":7000}", 2);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> producer.count(ids, "succeeded") == ids.size());
            ids.forEach(id -> assertThat(producer.field(id, "attempts")).as(describe(ids, a, b)).isEqualTo("1"));
            assertThat(a.outputText() + b.outputText()).doesNotContain("reclaimed").doesNotContain("lease lost");
        }
    }

    @Test
    void sigtermLetsInFlightJobsFinish() {
        try (PackagedService worker = PackagedService.start(env(null, "25S"))) {
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
        try (PackagedService worker = PackagedService.start(env(null, "1S"))) {
            awaitReady(worker);
            ids = producer.enqueue("core.debug_task", "{\"sleepMs\":60000}", 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.count(ids, "running") == 2);

            long stopAt = System.nanoTime();
            worker.terminate();
            worker.awaitExit(Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isLessThan(Duration.ofSeconds(10));
        }
        // Back on the queue now, not once the lease lapses, with the attempt undone.
        assertThat(producer.count(ids, "queued")).isEqualTo(2);
        ids.forEach(id -> assertThat(producer.field(id, "attempts")).isEqualTo("0"));

        try (PackagedService next = PackagedService.start(env(null, "1S"))) {
            awaitReady(next);
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.count(ids, "running") == 2);
        }
    }
}
