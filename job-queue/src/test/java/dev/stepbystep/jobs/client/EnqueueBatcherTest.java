package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.QueueUnavailableException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.BulkType;
import io.vertx.redis.client.impl.types.NumberType;
import io.vertx.redis.client.impl.types.MultiType;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batching of non-blocking enqueues, with Redis' answers given by hand so that every
 * interleaving is chosen, not timed: a lone job goes at once, jobs submitted while batches are in
 * flight gather into one, a failed batch fails each of its jobs, and the waiting room is bounded.
 * (Against the real Redis, BulkEnqueueTest in worker-service runs the same path end to end.)
 */
class EnqueueBatcherTest {

    /** One sent batch: its jobs and the emitter that answers it. */
    private record Sent(BulkEnqueue bulk, List<String> ids, UniEmitter<? super List<Response>> answer) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final EnqueueBatcher batcher = new EnqueueBatcher(new KeySchema("t"), 60, bulk -> Uni.createFrom().emitter(e -> {
        List<String> ids = new ArrayList<>();
        for (List<String> args : bulk.args()) {
            for (int i = 2; i < args.size(); i += PreparedJob.BULK_ARGS) {
                ids.add(args.get(i));
            }
        }
        sent.add(new Sent(bulk, ids, e));
    }));

    private static PreparedJob job() {
        return new PreparedJob(UUID.randomUUID().toString(), "core.debug_task", "default", "{}", 3, 60_000,
                1, 1, null, "", false);
    }

    /** What enqueue_bulk.lua answers when it created every job: {id, 1, id, 1, ...}. */
    private static void created(Sent s) {
        List<Response> answers = new ArrayList<>();
        int next = 0;
        for (List<String> args : s.bulk().args()) {
            int jobs = (args.size() - 2) / PreparedJob.BULK_ARGS;
            MultiType answer = MultiType.create(jobs * 2L, false);
            for (int i = 0; i < jobs; i++) {
                answer.add(BulkType.create(Buffer.buffer(s.ids().get(next++)), false));
                answer.add(NumberType.create(1L));
            }
            answers.add(Response.newInstance(answer));
        }
        s.answer().complete(answers);
    }

    @Test
    void aLoneJobIsSentAtOnceAndJobsSubmittedMeanwhileGatherIntoOneBatch() throws Exception {
        CompletableFuture<JobQueue.Enqueued> first = batcher.submit(job());
        CompletableFuture<JobQueue.Enqueued> second = batcher.submit(job());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).ids()).hasSize(1);

        List<CompletableFuture<JobQueue.Enqueued>> later = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            later.add(batcher.submit(job()));
        }
        assertThat(sent).as("two batches in flight at most").hasSize(2);
        assertThat(batcher.waiting()).isEqualTo(500);

        created(sent.get(0));
        assertThat(first.get().created()).isTrue();
        assertThat(first.get().jobId()).isEqualTo(sent.get(0).ids().get(0));
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).ids()).as("the 500 waiting jobs went as one batch").hasSize(500);
        assertThat(sent.get(2).bulk().keys()).as("in script calls of at most 250 jobs").hasSize(2);

        created(sent.get(1));
        created(sent.get(2));
        assertThat(second.get().jobId()).isEqualTo(sent.get(1).ids().get(0));
        for (int i = 0; i < 500; i++) {
            assertThat(later.get(i).get().jobId()).isEqualTo(sent.get(2).ids().get(i));
        }
        assertThat(batcher.waiting()).isZero();
    }

    @Test
    void aFailedBatchFailsEachOfItsJobsAndTheNextBatchStillGoes() throws Exception {
        CompletableFuture<JobQueue.Enqueued> a = batcher.submit(job());
        CompletableFuture<JobQueue.Enqueued> b = batcher.submit(job());
        CompletableFuture<JobQueue.Enqueued> c = batcher.submit(job());

        sent.get(0).answer().fail(new IllegalStateException("Connection refused"));

        assertThatThrownBy(a::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(QueueUnavailableException.class).hasMessageContaining("Connection refused");
        assertThat(sent).as("the failure freed a slot for the waiting job").hasSize(3);
        created(sent.get(1));
        created(sent.get(2));
        assertThat(b.get().created()).isTrue();
        assertThat(c.get().created()).isTrue();
    }

    @Test
    void pastTheWaitingLimitASubmissionFailsAtOnce() {
        for (int i = 0; i < EnqueueBatcher.MAX_IN_FLIGHT + EnqueueBatcher.MAX_WAITING; i++) {
            batcher.submit(job());
        }
        assertThat(batcher.waiting()).isEqualTo(EnqueueBatcher.MAX_WAITING);

        CompletableFuture<JobQueue.Enqueued> refused = batcher.submit(job());

        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::get).cause().isInstanceOf(QueueUnavailableException.class)
                .hasMessageContaining("already waiting for Redis");
        assertThat(batcher.waiting()).isEqualTo(EnqueueBatcher.MAX_WAITING);
    }
}
