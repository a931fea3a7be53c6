package dev.stepbystep.worker.jobs;

import dev.stepbystep.jobs.InvalidJobException;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.JobRequest;
import dev.stepbystep.jobs.client.JobState;
import dev.stepbystep.jobs.client.JobStatus;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import dev.stepbystep.worker.ExtraQueuesResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Bulk and non-blocking enqueue through the product API, with the worker live and draining: every
 * job created once, in the order given, validated like a single enqueue, and run once.
 */
@QuarkusTest
class BulkEnqueueTest {

    @Inject
    JobQueue queue;

    private void awaitAllSucceeded(List<String> ids) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                ids.stream().allMatch(id -> queue.status(id).map(JobStatus::state).orElse(null) == JobState.SUCCEEDED));
        for (String id : ids) {
            assertThat(queue.status(id).orElseThrow().attempts()).as("job %s ran once", id).isEqualTo(1);
        }
    }

    @Test
    void aBulkEnqueueReturnsIdsInOrderAndEveryJobRunsOnce() {
        // Runs of two queues, longer than one script call (250 jobs), so calls split both ways.
        List<JobRequest<DebugSleep>> requests = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            String q = (i / 300) % 2 == 0 ? "default" : ExtraQueuesResource.DLQ_TEST_QUEUE;
            requests.add(JobRequest.of(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue(q).owner(i)));
        }

        List<JobQueue.Enqueued> enqueued = queue.enqueueAll(requests);

        assertThat(enqueued).hasSize(700).allMatch(JobQueue.Enqueued::created);
        List<String> ids = enqueued.stream().map(JobQueue.Enqueued::jobId).toList();
        assertThat(new HashSet<>(ids)).hasSize(700);
        for (int i = 0; i < 700; i += 50) {
            JobStatus status = queue.status(ids.get(i)).orElseThrow();
            assertThat(status.ownerId()).as("job %d is the %dth request", i, i).isEqualTo((long) i);
            assertThat(status.queue()).isEqualTo(requests.get(i).options().queue().orElseThrow());
        }
        awaitAllSucceeded(ids);
    }

    @Test
    void oneInvalidJobIsNamedByItsPositionAndNothingIsEnqueued() {
        String key = "bulk-" + UUID.randomUUID();
        List<JobRequest<DebugSleep>> requests = List.of(
                JobRequest.of(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().idempotencyKey(key)),
                JobRequest.of(Tasks.DEBUG, new DebugSleep(-1, 0, null)));

        assertThatThrownBy(() -> queue.enqueueAll(requests))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("job 1 of 2").hasMessageContaining("sleepMs").hasMessageContaining("nothing was enqueued");
        assertThatThrownBy(() -> queue.enqueueAll(List.of(JobRequest.of(Tasks.DEBUG, DebugSleep.noop(),
                EnqueueOptions.defaults().queue("bad queue!"))))).isInstanceOf(InvalidJobException.class).hasMessageContaining("job 0 of 1");

        assertThat(queue.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().idempotencyKey(key)).created())
                .as("the valid job before the invalid one was not sent either").isTrue();
    }

    @Test
    void idempotencyKeysApplyInTheOrderGivenAndDelaysAreKept() {
        String earlier = "bulk-" + UUID.randomUUID();
        String shared = "bulk-" + UUID.randomUUID();
        String existing = queue.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().idempotencyKey(earlier)).jobId();
        Instant eta = Instant.now().plusSeconds(3600);

        List<JobQueue.Enqueued> enqueued = queue.enqueueAll(List.of(
                JobRequest.of(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().idempotencyKey(shared)),
                JobRequest.of(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().idempotencyKey(earlier)),
                JobRequest.of(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().idempotencyKey(shared)),
                JobRequest.of(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().eta(eta))));

        assertThat(enqueued.get(0).created()).isTrue();
        assertThat(enqueued.get(1)).isEqualTo(new JobQueue.Enqueued(existing, false));
        assertThat(enqueued.get(2)).isEqualTo(new JobQueue.Enqueued(enqueued.get(0).jobId(), false));
        JobStatus delayed = queue.status(enqueued.get(3).jobId()).orElseThrow();
        assertThat(delayed.state()).isEqualTo(JobState.QUEUED);
        assertThat(delayed.readyAt()).isEqualTo(eta.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        awaitAllSucceeded(List.of(enqueued.get(0).jobId()));
    }

    @Test
    void manyNonBlockingEnqueuesFromOneThreadAreEachDeliveredOnce() throws Exception {
        List<CompletableFuture<JobQueue.Enqueued>> stages = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            stages.add(queue.enqueueAsync(Tasks.DEBUG, DebugSleep.noop()).toCompletableFuture());
        }
        CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<String> ids = new ArrayList<>();
        for (CompletableFuture<JobQueue.Enqueued> stage : stages) {
            assertThat(stage.get().created()).isTrue();
            ids.add(stage.get().jobId());
        }
        Set<String> distinct = new HashSet<>(ids);
        assertThat(distinct).hasSize(5000);
        awaitAllSucceeded(ids);
    }

    @Test
    void aNonBlockingEnqueueValidatesAtOnce() {
        assertThatThrownBy(() -> queue.enqueueAsync(Tasks.DEBUG, new DebugSleep(-1, 0, null)))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("sleepMs");
    }
}
