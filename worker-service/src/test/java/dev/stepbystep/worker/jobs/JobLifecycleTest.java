package dev.stepbystep.worker.jobs;

import dev.stepbystep.jobs.client.DeadLetters;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.InvalidJobException;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.JobState;
import dev.stepbystep.jobs.client.JobStatus;
import dev.stepbystep.jobs.client.QueueStats;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.RedisScripts;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import dev.stepbystep.worker.ExtraQueuesResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The queue and the worker together, against the real Redis: each job state and each failure path. */
@QuarkusTest
class JobLifecycleTest {

    @Inject
    JobQueue queue;

    @Inject
    DeadLetters deadLetters;

    @Inject
    RedisScripts scripts;

    @Inject
    QueueConfig config;

    private JobStatus awaitState(String id, JobState state, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(20))
                .until(() -> queue.status(id).map(JobStatus::state).orElse(null) == state);
        return queue.status(id).orElseThrow();
    }

    @Test
    void aJobRunsToSuccessWithItsResultAndTimestamps() {
        String id = queue.enqueue(Tasks.DEBUG, DebugSleep.sleep(10)).jobId();

        JobStatus done = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(10));

        assertThat(done.task()).isEqualTo("core.debug_task");
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.result()).contains("\"slept_ms\":10");
        assertThat(done.error()).isNull();
        assertThat(done.enqueuedAt()).isNotNull();
        assertThat(done.startedAt()).isAfterOrEqualTo(done.enqueuedAt());
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
    }

    @Test
    void aQuickTasksJobThatRunsLongDoesNotHoldUpTheJobsBehindIt() {
        // Make the task typical-quick, so the next job is run by the reader itself.
        List<String> quick = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> queue.enqueue(Tasks.DEBUG, DebugSleep.noop()).jobId()).toList();
        quick.forEach(id -> awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(20)));

        String slow = queue.enqueue(Tasks.DEBUG, DebugSleep.sleep(3000)).jobId();
        JobStatus running = awaitState(slow, JobState.RUNNING, Duration.ofSeconds(2));
        String behind = queue.enqueue(Tasks.DEBUG, DebugSleep.noop()).jobId();

        // Reading goes on while the slow job runs (the turn to read was passed on), and the slow
        // job is marked running meanwhile (by the new reader), not only once it has ended.
        JobStatus done = awaitState(behind, JobState.SUCCEEDED, Duration.ofSeconds(2));
        assertThat(queue.status(slow).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(done.finishedAt()).isBefore(running.startedAt().plusMillis(3000));
        awaitState(slow, JobState.SUCCEEDED, Duration.ofSeconds(10));
    }

    @Test
    void jobsStillRunAndAreRecordedAfterRedisHasLostItsScripts() {
        // As after a Redis restart: every script call answers NOSCRIPT until the source is sent
        // again, including the mark pipelined on the worker's read connection.
        redis.execute("SCRIPT", "FLUSH");

        String id = queue.enqueue(Tasks.DEBUG, DebugSleep.noop()).jobId();

        JobStatus done = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(10));
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.startedAt()).isNotNull();
    }

    @Test
    void aRunningJobShowsAsRunning() {
        String id = queue.enqueue(Tasks.DEBUG, DebugSleep.sleep(1500)).jobId();
        JobStatus running = awaitState(id, JobState.RUNNING, Duration.ofSeconds(10));
        assertThat(running.startedAt()).isNotNull();
        assertThat(running.finishedAt()).isNull();
        awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(10));
    }

    @Test
    void failedAttemptsAreRetriedWithBackoffUntilOneSucceeds() {
        String id = queue.enqueue(Tasks.DEBUG, new DebugSleep(0, 3, null), EnqueueOptions.defaults().maxRetries(3)).jobId();

        AtomicBoolean sawRetrying = new AtomicBoolean();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> {
            JobState state = queue.status(id).orElseThrow().state();
            sawRetrying.compareAndSet(false, state == JobState.RETRYING);
            return state == JobState.SUCCEEDED;
        });

        JobStatus done = queue.status(id).orElseThrow();
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(sawRetrying).isTrue();
    }

    @Test
    void aJobOutOfRetriesIsDeadLetteredAndCanBeRetriedFromThere() {
        Instant healthyFrom = Instant.now().plusSeconds(3);
        String id = queue.enqueue(Tasks.DEBUG, new DebugSleep(0, 0, healthyFrom), EnqueueOptions.defaults().maxRetries(1)
                .queue(ExtraQueuesResource.DLQ_TEST_QUEUE)).jobId();
        String q = queue.status(id).orElseThrow().queue();

        JobStatus dead = awaitState(id, JobState.DEAD, Duration.ofSeconds(15));
        assertThat(dead.attempts()).isEqualTo(2);
        assertThat(dead.error()).contains("debug failure until");
        assertThat(deadLetters.list(q, 0, 100)).extracting(JobStatus::id).contains(id);

        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(healthyFrom));
        assertThat(deadLetters.retry(id)).isTrue();
        JobStatus revived = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(10));
        assertThat(revived.lastError()).contains("debug failure until");
        assertThat(deadLetters.list(q, 0, 100)).extracting(JobStatus::id).doesNotContain(id);
        assertThat(deadLetters.retry(id)).as("only dead jobs can be retried").isFalse();
    }

    @Inject
    dev.stepbystep.jobs.client.WorkerRegistry registry;

    @Inject
    dev.stepbystep.worker.runtime.JobRunner runner;

    @Inject
    dev.stepbystep.jobs.client.QueueHistory history;

    private long doneInTheLastHour(String q) {
        return history.lastHour(q).stream().mapToLong(dev.stepbystep.jobs.client.QueueHistory.Minute::done).sum();
    }

    /** The worker counts what it ran, per queue and minute, for the operators' charts. */
    @Test
    void theWorkerCountsDoneJobsAndTheirWaitPerMinute() {
        long before = doneInTheLastHour("default");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(queue.enqueue(Tasks.DEBUG, DebugSleep.noop()).jobId());
        }
        ids.forEach(id -> awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(10)));
        await().atMost(Duration.ofSeconds(5)).until(() -> doneInTheLastHour("default") >= before + 20);
        var minutes = history.lastHour("default");
        assertThat(minutes).hasSize(dev.stepbystep.jobs.client.QueueHistory.MINUTES);
        assertThat(minutes.get(minutes.size() - 1).minute()).isBefore(Instant.now()).isAfter(Instant.now().minusSeconds(60));
        assertThat(minutes.stream().filter(m -> m.done() > 0)).allSatisfy(m -> {
            assertThat(m.waitP50Ms()).isPositive();
            assertThat(m.waitP95Ms()).isGreaterThanOrEqualTo(m.waitP50Ms());
        });
    }

    /** The running worker is listed with what it consumes; a worker no longer heard from is not, and is forgotten. */
    @Test
    void theLiveWorkerIsListedAndAWorkerThatStoppedHeartbeatingIsNot() {
        await().atMost(Duration.ofSeconds(15)).until(() -> registry.live().stream().anyMatch(w -> w.id().equals(runner.workerId())));
        var me = registry.live().stream().filter(w -> w.id().equals(runner.workerId())).findFirst().orElseThrow();
        assertThat(me.queues()).contains("default");
        assertThat(me.concurrency()).isPositive();
        assertThat(me.host()).isNotBlank();
        assertThat(me.lastHeartbeat()).isAfter(Instant.now().minus(dev.stepbystep.jobs.client.WorkerRegistry.EXPIRY));

        // A worker killed a minute ago: its sorted-set entry is older than the expiry (its hash expired too).
        KeySchema keys = new KeySchema(config.prefix());
        String ghost = "ghost-" + UUID.randomUUID();
        redis.execute("ZADD", keys.workers(), Long.toString(System.currentTimeMillis() - 60_000), ghost);
        redis.execute("HSET", keys.worker(ghost), "id", ghost, "host", "h", "concurrency", "1", "in_flight", "0",
                "started_at", "0", "last_heartbeat", "0");
        assertThat(registry.live()).extracting(dev.stepbystep.jobs.client.WorkerRegistry.WorkerInfo::id).doesNotContain(ghost);
        assertThat(redis.execute("ZSCORE", keys.workers(), ghost)).as("forgotten").isNull();
        redis.execute("DEL", keys.worker(ghost));
    }

    /** With the worker live: a cancelled job never runs; one a worker has taken cannot be cancelled. */
    @Test
    void aCancelledJobNeverRunsAndARunningOneCannotBeCancelled() throws Exception {
        String delayed = queue.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().countdown(Duration.ofMillis(500))).jobId();
        assertThat(queue.cancel(delayed)).isEqualTo(new JobQueue.Cancellation(JobQueue.Cancellation.Outcome.CANCELLED, JobState.CANCELLED));
        String running = queue.enqueue(Tasks.DEBUG, DebugSleep.sleep(1500)).jobId();
        awaitState(running, JobState.RUNNING, Duration.ofSeconds(10));
        assertThat(queue.cancel(running)).isEqualTo(new JobQueue.Cancellation(JobQueue.Cancellation.Outcome.TOO_LATE, JobState.RUNNING));
        awaitState(running, JobState.SUCCEEDED, Duration.ofSeconds(10));
        assertThat(queue.cancel(running).outcome()).isEqualTo(JobQueue.Cancellation.Outcome.TOO_LATE);

        // Well past its ETA and the other job's whole run: still cancelled, never attempted.
        JobStatus cancelled = queue.status(delayed).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.attempts()).isZero();
        assertThat(queue.cancel(UUID.randomUUID().toString()).outcome()).isEqualTo(JobQueue.Cancellation.Outcome.NOT_FOUND);
        assertThat(queue.cancel("not-a-job-id").outcome()).isEqualTo(JobQueue.Cancellation.Outcome.NOT_FOUND);
    }

    /**
     * The age of the oldest waiting job: what is ready but not yet delivered, not what a worker
     * holds. A queue nothing was enqueued on yet is empty (it answered 503 before: XPENDING
     * refuses a stream that does not exist, seen failing here).
     */
    @Test
    void statsGiveTheAgeOfTheOldestWaitingJob() throws Exception {
        String q = "oldest-" + UUID.randomUUID().toString().substring(0, 8); // no worker consumes it
        assertThat(queue.stats(q)).isEqualTo(new QueueStats(q, 0, 0, 0, 0, 0));
        queue.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue(q));
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.stats(q).oldestWaitingMs() >= 400);
        queue.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue(q));
        QueueStats both = queue.stats(q);
        assertThat(both.depth()).isEqualTo(2);
        assertThat(both.oldestWaitingMs()).isBetween(400L, 5_000L);

        // A worker takes the older one: the younger one is now the oldest waiting.
        KeySchema keys = new KeySchema(config.prefix());
        redis.execute("XREADGROUP", "GROUP", KeySchema.GROUP, "stats-test", "COUNT", "1", "STREAMS", keys.stream(q), ">");
        QueueStats one = queue.stats(q);
        assertThat(one.depth()).isEqualTo(1);
        assertThat(one.inFlight()).isEqualTo(1);
        assertThat(one.oldestWaitingMs()).isLessThan(both.oldestWaitingMs() - 300);
    }

    @Test
    void deadLettersCanBeRetriedAllAndPurged() {
        String q = ExtraQueuesResource.PURGE_TEST_QUEUE;
        deadLetters.purge(q);
        EnqueueOptions fatal = EnqueueOptions.defaults().queue(q).maxRetries(0);
        List<String> ids = List.of(
                queue.enqueue(Tasks.DEBUG, new DebugSleep(0, 100, null), fatal).jobId(),
                queue.enqueue(Tasks.DEBUG, new DebugSleep(0, 100, null), fatal).jobId());
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.stats(q).dead() == 2);

        assertThat(deadLetters.retryAll(q)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.stats(q).dead() == 2);

        assertThat(deadLetters.purge(q)).isEqualTo(2);
        assertThat(queue.stats(q).dead()).isZero();
        ids.forEach(id -> assertThat(queue.status(id)).isEmpty());
    }

    @Test
    void aDelayedJobDoesNotStartBeforeItsTime() {
        Instant eta = Instant.now().plusMillis(1500);
        String id = queue.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().eta(eta)).jobId();

        assertThat(queue.status(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        JobStatus done = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(10));
        assertThat(done.startedAt()).isAfterOrEqualTo(eta.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    @Test
    void theSameIdempotencyKeyYieldsTheSameJob() {
        String key = "signup-" + UUID.randomUUID();
        JobQueue.Enqueued first = queue.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().idempotencyKey(key));
        JobQueue.Enqueued second = queue.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().idempotencyKey(key));

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.jobId()).isEqualTo(first.jobId());
    }

    @Test
    void anUnreadablePayloadIsDeadLetteredOnceWithTheReason() {
        String id = rawEnqueue("core.debug_task", "{not json");
        JobStatus dead = awaitState(id, JobState.DEAD, Duration.ofSeconds(10));
        assertThat(dead.error()).startsWith("unreadable payload for core.debug_task");
        assertThat(dead.attempts()).isEqualTo(1);
    }

    @Test
    void anInvalidPayloadIsDeadLetteredOnceWithTheReason() {
        String id = rawEnqueue("core.debug_task", "{\"sleepMs\":-5}");
        JobStatus dead = awaitState(id, JobState.DEAD, Duration.ofSeconds(10));
        assertThat(dead.error()).contains("sleepMs").contains("greater than or equal to 0");
        assertThat(dead.attempts()).isEqualTo(1);
    }

    @Test
    void anUnknownTaskIsDeadLetteredOnce() {
        String id = rawEnqueue("nobody.knows_this", "{}");
        JobStatus dead = awaitState(id, JobState.DEAD, Duration.ofSeconds(10));
        assertThat(dead.error()).contains("unknown task 'nobody.knows_this'");
        assertThat(dead.attempts()).isEqualTo(1);
    }

    @Test
    void anAttemptPastItsTimeLimitIsInterruptedAndCountsAsFailed() {
        String id = queue.enqueue(Tasks.DEBUG, DebugSleep.sleep(30_000),
                EnqueueOptions.defaults().timeLimit(Duration.ofMillis(300)).maxRetries(0)).jobId();
        JobStatus dead = awaitState(id, JobState.DEAD, Duration.ofSeconds(10));
        assertThat(dead.error()).contains("time limit of 300 ms exceeded");
        assertThat(Duration.between(dead.startedAt(), dead.finishedAt())).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void badEnqueueRequestsAreRefusedBeforeReachingRedis() {
        assertThatThrownBy(() -> queue.enqueue(Tasks.DEBUG, new DebugSleep(-1, 0, null)))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("sleepMs");
        assertThatThrownBy(() -> queue.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue("bad queue!")))
                .isInstanceOf(InvalidJobException.class);
        assertThatThrownBy(() -> queue.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().maxRetries(-1)))
                .isInstanceOf(InvalidJobException.class);
        assertThat(queue.status("not-a-job-id")).isEmpty();
        assertThat(queue.status(UUID.randomUUID().toString())).isEmpty();
    }

    @Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    @Test
    void anEntryNamingOnlyItsJobRunsThroughTheStartScript() {
        // What an older producer wrote: the stream entry carries the job id and nothing else.
        String id = queue.enqueue(Tasks.DEBUG, DebugSleep.noop(),
                EnqueueOptions.defaults().eta(Instant.now().plus(Duration.ofHours(1)))).jobId();
        KeySchema keys = new KeySchema(config.prefix());
        assertThat(redis.execute("ZREM", keys.delayed("default"), id).toInteger()).isEqualTo(1);
        redis.execute("XADD", keys.stream("default"), "*", "id", id);

        JobStatus done = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(10));
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.result()).contains("\"slept_ms\":0");
    }

    @Test
    void anEntryWithIncompleteJobDataRunsFromTheJobsHash() {
        // Task and attempt but no payload: not started from the entry, read from the hash instead.
        String id = queue.enqueue(Tasks.DEBUG, DebugSleep.sleep(3),
                EnqueueOptions.defaults().eta(Instant.now().plus(Duration.ofHours(1)))).jobId();
        KeySchema keys = new KeySchema(config.prefix());
        assertThat(redis.execute("ZREM", keys.delayed("default"), id).toInteger()).isEqualTo(1);
        redis.execute("XADD", keys.stream("default"), "*", "id", id, "attempt", "1", "task", "core.debug_task");

        JobStatus done = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(10));
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.result()).contains("\"slept_ms\":3");
    }

    @Test
    void aDuplicateEntryForAFinishedJobIsDroppedAndChangesNothing() {
        String id = queue.enqueue(Tasks.DEBUG, DebugSleep.noop()).jobId();
        JobStatus first = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(10));
        KeySchema keys = new KeySchema(config.prefix());

        // A fresh entry with the job's data: the worker starts it before Redis confirms it may.
        String entry = redis.execute("XADD", keys.stream("default"), "*", "id", id, "attempt", "1", "task", "core.debug_task",
                "payload", "{\"sleepMs\":0}", "max_retries", "3", "time_limit_ms", "10000",
                "ready_at", Long.toString(System.currentTimeMillis())).toString();

        // Dropped: acknowledged and deleted from the stream.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> redis.execute("XRANGE", keys.stream("default"), entry, entry).size() == 0);
        JobStatus after = queue.status(id).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(after.attempts()).isEqualTo(1);
        assertThat(after.result()).isEqualTo(first.result());
        assertThat(after.finishedAt()).isEqualTo(first.finishedAt());
    }

    /** Enqueues what a buggy or older producer might: bytes the worker cannot use. */
    private String rawEnqueue(String task, String payload) {
        String id = UUID.randomUUID().toString();
        KeySchema keys = new KeySchema(config.prefix());
        long now = System.currentTimeMillis();
        scripts.run(RedisScripts.Script.ENQUEUE,
                List.of(keys.job(id), keys.stream("default"), keys.delayed("default"), "", keys.queues()),
                List.of(id, task, "default", payload, "3", "10000", Long.toString(now), Long.toString(now), "", "60", ""));
        return id;
    }
}
