package dev.stepbystep.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * A job contract: the task's name (what the worker dispatches on), its payload type, and its
 * defaults. Web and beat enqueue through it, so a payload of the wrong type does not compile.
 *
 * @param maxRetries  retries after the first attempt before the job is dead-lettered
 * @param timeLimit   an attempt still running after this is interrupted and counts as failed
 * @param backoffBase first retry waits a random time up to this; each further retry doubles it
 * @param backoffCap  the longest wait before a retry
 */
public record TaskDefinition<P>(String name, Class<P> payloadType, String defaultQueue, int maxRetries,
                                Duration timeLimit, Duration backoffBase, Duration backoffCap) {

    public TaskDefinition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(payloadType);
        if (maxRetries < 0 || timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("bad task definition " + name);
        }
    }

    /** "Full jitter" exponential backoff: uniform in [0, min(cap, base * 2^(attempt-1))]. */
    public Duration backoff(int attempt, double random) {
        long base = backoffBase.toMillis();
        long ceiling = attempt >= 31 ? backoffCap.toMillis() : Math.min(backoffCap.toMillis(), base << Math.max(0, attempt - 1));
        return Duration.ofMillis((long) (ceiling * random));
    }
}
