package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.broker.BlockingRedisConnection;
import dev.stepbystep.jobs.broker.StartedJob;
import dev.stepbystep.jobs.broker.WorkerBroker;
import io.quarkus.logging.Log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Marking fresh jobs {@code running} in Redis ({@code mark.lua}) after they started. A job's
 * outcome is recorded only once its mark is confirmed ({@link OutcomeRecorder#expectMark}), so
 * Redis never sees a finish before its start; a failed mark means the outcome is not recorded
 * and the job is redelivered once its lease lapses. The reader's marks are pipelined on its read
 * connection ({@link #later}, {@link #send}); the rest go through the pool at once ({@link #now}).
 */
final class StartMarks {

    private final WorkerBroker broker;
    private final String workerId;
    private final OutcomeRecorder recorder;
    private final OutageLog outage;
    /** Used only by the holder of the reader's turn. */
    private final List<Unsent> unsent = new ArrayList<>();

    private record Unsent(String queue, List<StartedJob> jobs, CompletableFuture<Boolean> marked) {
    }

    StartMarks(WorkerBroker broker, String workerId, OutcomeRecorder recorder, OutageLog outage) {
        this.broker = broker;
        this.workerId = workerId;
        this.recorder = recorder;
        this.outage = outage;
    }

    /** Makes the jobs' outcomes wait for one mark; call before starting them. */
    CompletableFuture<Boolean> expect(List<StartedJob> jobs) {
        CompletableFuture<Boolean> marked = new CompletableFuture<>();
        jobs.forEach(job -> recorder.expectMark(job, marked));
        return marked;
    }

    /** Queues the mark for the next {@link #send}. */
    void later(String queue, List<StartedJob> jobs, CompletableFuture<Boolean> marked) {
        unsent.add(new Unsent(queue, jobs, marked));
    }

    /** Marks through the Quarkus Redis client's pool, now. */
    void now(String queue, List<StartedJob> jobs, CompletableFuture<Boolean> marked) {
        broker.mark(queue, workerId, jobs).subscribe().with(dropped -> confirm(dropped, marked), failure -> confirm(null, marked));
    }

    /**
     * Sends the queued marks, pipelined on {@code connection} (through the pool when it is null);
     * the replies are read before the next read's. False when the connection failed: its marks
     * count as failed, and the caller reconnects.
     */
    boolean send(BlockingRedisConnection connection) {
        boolean ok = true;
        for (Unsent m : unsent) {
            if (connection == null || !ok) {
                now(m.queue(), m.jobs(), m.marked());
                continue;
            }
            try {
                broker.mark(connection, m.queue(), workerId, m.jobs(), dropped -> confirm(dropped, m.marked()));
            } catch (IOException e) {
                ok = false; // the callback has been told
            }
        }
        unsent.clear();
        return ok;
    }

    /** {@code dropped}: the jobs Redis did not mark (already final or gone); null when marking failed. */
    private void confirm(List<String> dropped, CompletableFuture<Boolean> marked) {
        if (dropped == null) {
            outage.failed("marking jobs running", new IllegalStateException("no answer from Redis"));
            marked.complete(false);
            return;
        }
        if (!dropped.isEmpty()) {
            Log.debugf("dropped %d delivery(ies) whose job was already final or gone: %s", dropped.size(), dropped);
        }
        marked.complete(true);
    }
}
