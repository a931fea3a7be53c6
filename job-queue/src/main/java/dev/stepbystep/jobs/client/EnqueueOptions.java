package dev.stepbystep.jobs.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Per-job choices; anything left empty takes the task's default.
 *
 * @param eta            not before this instant (countdown: {@code Instant.now().plus(d)})
 * @param idempotencyKey enqueueing twice with the same key yields the first job's id
 * @param ownerId        the user the job belongs to (who may read its status)
 */
public record EnqueueOptions(Optional<String> queue, Optional<Instant> eta, Optional<String> idempotencyKey,
                             Optional<Integer> maxRetries, Optional<Duration> timeLimit, Optional<Long> ownerId) {

    public static EnqueueOptions defaults() {
        return new EnqueueOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public EnqueueOptions queue(String q) {
        return new EnqueueOptions(Optional.of(q), eta, idempotencyKey, maxRetries, timeLimit, ownerId);
    }

    public EnqueueOptions eta(Instant at) {
        return new EnqueueOptions(queue, Optional.of(at), idempotencyKey, maxRetries, timeLimit, ownerId);
    }

    public EnqueueOptions countdown(Duration delay) {
        return eta(Instant.now().plus(delay));
    }

    public EnqueueOptions idempotencyKey(String key) {
        return new EnqueueOptions(queue, eta, Optional.of(key), maxRetries, timeLimit, ownerId);
    }

    public EnqueueOptions maxRetries(int n) {
        return new EnqueueOptions(queue, eta, idempotencyKey, Optional.of(n), timeLimit, ownerId);
    }

    public EnqueueOptions timeLimit(Duration limit) {
        return new EnqueueOptions(queue, eta, idempotencyKey, maxRetries, Optional.of(limit), ownerId);
    }

    public EnqueueOptions owner(long userId) {
        return new EnqueueOptions(queue, eta, idempotencyKey, maxRetries, timeLimit, Optional.of(userId));
    }
}
