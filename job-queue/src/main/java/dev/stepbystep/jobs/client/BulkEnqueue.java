package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.KeySchema;
import io.vertx.mutiny.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Many prepared jobs laid out as {@code enqueue_bulk.lua} calls: each call takes a run of
 * consecutive jobs of one queue, at most {@link #CHUNK} of them, so jobs are created in exactly
 * the order given (which decides who wins a shared idempotency key) and no call holds Redis for
 * long. Used by {@link JobQueue#enqueueAll}, the batched {@link JobQueue#enqueueAsync} and the
 * pushes after a commit.
 */
final class BulkEnqueue {

    /** Jobs per script call: a few hundred microseconds of Redis time, like Sidekiq's push_bulk batches. */
    static final int CHUNK = 250;

    private final List<PreparedJob> jobs;
    private final List<List<String>> keys = new ArrayList<>();
    private final List<List<String>> args = new ArrayList<>();

    BulkEnqueue(List<PreparedJob> jobs, KeySchema k, long ttlSeconds) {
        this.jobs = jobs;
        int i = 0;
        while (i < jobs.size()) {
            String queue = jobs.get(i).queue();
            List<String> callKeys = new ArrayList<>(3 + 3 * CHUNK);
            List<String> callArgs = new ArrayList<>(2 + PreparedJob.BULK_ARGS * CHUNK);
            callKeys.add(k.stream(queue));
            callKeys.add(k.delayed(queue));
            callKeys.add(k.queues());
            callArgs.add(queue);
            callArgs.add(Long.toString(ttlSeconds));
            int n = 0;
            while (i < jobs.size() && n < CHUNK && jobs.get(i).queue().equals(queue)) {
                jobs.get(i).addBulkKeys(k, callKeys);
                jobs.get(i).addBulkArgs(callArgs);
                i++;
                n++;
            }
            keys.add(callKeys);
            args.add(callArgs);
        }
    }

    List<List<String>> keys() {
        return keys;
    }

    List<List<String>> args() {
        return args;
    }

    /** The answers of the calls, in order, as one {@link JobQueue.Enqueued} per job in the order given. */
    List<JobQueue.Enqueued> results(List<Response> responses) {
        if (responses.size() != keys.size()) {
            throw new IllegalStateException("expected " + keys.size() + " answers, got " + responses.size());
        }
        List<JobQueue.Enqueued> out = new ArrayList<>(jobs.size());
        for (Response r : responses) {
            for (int j = 0; j + 1 < r.size(); j += 2) {
                out.add(new JobQueue.Enqueued(r.get(j).toString(), r.get(j + 1).toInteger() == 1));
            }
        }
        if (out.size() != jobs.size()) {
            throw new IllegalStateException("expected " + jobs.size() + " jobs in the answers, got " + out.size());
        }
        return out;
    }
}
