package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.KeySchema;
import java.util.List;

/**
 * A validated job, ready to be pushed to Redis by {@code enqueue.lua}: the one place its KEYS and
 * ARGV are laid out, whether the push comes from a direct enqueue, after a commit, or from the
 * outbox relay.
 *
 * @param viaOutbox   written to the outbox first: the push passes a marker key, so pushing the same
 *                    row twice (after the commit, and again by the relay) creates one job
 * @param traceparent the W3C trace context of the enqueue ({@link dev.stepbystep.jobs.TraceContext}), "" when none:
 *                    the worker's span for each attempt continues that trace
 */
public record PreparedJob(String id, String task, String queue, String payload, int maxRetries, long timeLimitMs,
                   long enqueuedAtMs, long etaMs, Long ownerId, String idempotencyKey, boolean viaOutbox,
                   String traceparent) {

    public PreparedJob {
        idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
        traceparent = traceparent == null ? "" : traceparent;
    }

    /** A job enqueued outside any trace. */
    public PreparedJob(String id, String task, String queue, String payload, int maxRetries, long timeLimitMs,
                       long enqueuedAtMs, long etaMs, Long ownerId, String idempotencyKey, boolean viaOutbox) {
        this(id, task, queue, payload, maxRetries, timeLimitMs, enqueuedAtMs, etaMs, ownerId, idempotencyKey, viaOutbox, "");
    }

    /** KEYS: 1 job hash, 2 stream, 3 delayed zset, 4 idempotency key or '', 5 queue registry, 6 outbox marker or ''. */
    public List<String> keys(KeySchema k) {
        return List.of(k.job(id), k.stream(queue), k.delayed(queue), idempotencyKey.isEmpty() ? "" : k.idempotency(idempotencyKey),
                k.queues(), viaOutbox ? k.outboxMarker(id) : "");
    }

    /** This job's three KEYS in enqueue_bulk.lua: job hash, idempotency key or '', outbox marker or ''. */
    void addBulkKeys(KeySchema k, List<String> keys) {
        keys.add(k.job(id));
        keys.add(idempotencyKey.isEmpty() ? "" : k.idempotency(idempotencyKey));
        keys.add(viaOutbox ? k.outboxMarker(id) : "");
    }

    /** How many ARGV each job has in enqueue_bulk.lua. */
    static final int BULK_ARGS = 10;

    /** This job's {@link #BULK_ARGS} ARGV in enqueue_bulk.lua, as documented there. */
    void addBulkArgs(List<String> args) {
        args.add(id);
        args.add(task);
        args.add(payload);
        args.add(Integer.toString(maxRetries));
        args.add(Long.toString(timeLimitMs));
        args.add(Long.toString(enqueuedAtMs));
        args.add(Long.toString(etaMs));
        args.add(ownerId == null ? "" : ownerId.toString());
        args.add(idempotencyKey);
        args.add(traceparent);
    }

    /** ARGV, as documented in enqueue.lua. */
    public List<String> args(long keyTtlSeconds) {
        return List.of(id, task, queue, payload, Integer.toString(maxRetries), Long.toString(timeLimitMs),
                Long.toString(enqueuedAtMs), Long.toString(etaMs), ownerId == null ? "" : ownerId.toString(),
                Long.toString(keyTtlSeconds), idempotencyKey, traceparent);
    }
}
