package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.QueueUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The engine of {@link JobQueue#enqueueAsync}: jobs submitted from any number of threads wait in a
 * local queue, and whatever has gathered goes to Redis as one pipelined {@code enqueue_bulk.lua}
 * batch, with at most {@link #MAX_IN_FLIGHT} batches under way. A lone job is sent at once; under
 * load, batches grow by themselves while earlier ones are in flight (smart batching), so one
 * thread can enqueue far faster than one round trip per job allows. At most {@link #MAX_WAITING}
 * jobs may wait: past that, a submission fails at once instead of growing memory without bound.
 */
final class EnqueueBatcher {

    static final int MAX_IN_FLIGHT = 2;
    static final int MAX_BATCH = 10_000;
    static final int MAX_WAITING = 100_000;

    private record Waiting(PreparedJob job, CompletableFuture<JobQueue.Enqueued> result) {
    }

    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final KeySchema keys;
    private final long ttlSeconds;
    private final Function<BulkEnqueue, Uni<List<Response>>> send;

    EnqueueBatcher(KeySchema keys, long ttlSeconds, Function<BulkEnqueue, Uni<List<Response>>> send) {
        this.keys = keys;
        this.ttlSeconds = ttlSeconds;
        this.send = send;
    }

    CompletableFuture<JobQueue.Enqueued> submit(PreparedJob job) {
        CompletableFuture<JobQueue.Enqueued> result = new CompletableFuture<>();
        if (waitingCount.incrementAndGet() > MAX_WAITING) {
            waitingCount.decrementAndGet();
            result.completeExceptionally(new QueueUnavailableException("job queue unavailable (enqueue " + job.task()
                    + "): " + MAX_WAITING + " jobs are already waiting for Redis; wait for some of the earlier results", null));
            return result;
        }
        waiting.add(new Waiting(job, result));
        pump();
        return result;
    }

    /** Jobs waiting to be sent (for tests and metrics). */
    int waiting() {
        return waitingCount.get();
    }

    private void pump() {
        while (true) {
            int running = inFlight.get();
            if (running >= MAX_IN_FLIGHT || waiting.isEmpty()) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Waiting> batch = new ArrayList<>();
            Waiting w;
            while (batch.size() < MAX_BATCH && (w = waiting.poll()) != null) {
                batch.add(w);
            }
            waitingCount.addAndGet(-batch.size());
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            send(batch);
        }
    }

    private void send(List<Waiting> batch) {
        BulkEnqueue bulk;
        Uni<List<Response>> answer;
        try {
            bulk = new BulkEnqueue(batch.stream().map(Waiting::job).toList(), keys, ttlSeconds);
            answer = send.apply(bulk);
        } catch (RuntimeException e) {
            fail(batch, e);
            return;
        }
        answer.subscribe().with(responses -> {
            List<JobQueue.Enqueued> results;
            try {
                results = bulk.results(responses);
            } catch (RuntimeException e) {
                fail(batch, e);
                return;
            }
            done();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        }, failure -> fail(batch, failure));
    }

    private void fail(List<Waiting> batch, Throwable failure) {
        done();
        QueueUnavailableException e = failure instanceof QueueUnavailableException q ? q
                : new QueueUnavailableException("job queue unavailable (enqueue " + batch.size() + " jobs): " + failure.getMessage(), failure);
        batch.forEach(w -> w.result().completeExceptionally(e));
    }

    private void done() {
        inFlight.decrementAndGet();
        pump();
    }
}
