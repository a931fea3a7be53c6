package dev.stepbystep.worker.runtime;

import io.quarkus.logging.Log;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis outages as operators want to see them: one line when Redis goes away, one when it is
 * back, and exponential backoff (100 ms to 5 s) in between instead of a log line per retry.
 */
final class OutageLog {

    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong backoffMs = new AtomicLong(MIN_BACKOFF_MS);
    private final AtomicLong since = new AtomicLong();

    void failed(String activity, Throwable e) {
        if (down.compareAndSet(false, true)) {
            since.set(System.currentTimeMillis());
            Log.errorf("redis unavailable during %s (%s); jobs wait, retrying with backoff", activity, e.getMessage());
        }
    }

    void recovered() {
        if (down.compareAndSet(true, false)) {
            backoffMs.set(MIN_BACKOFF_MS);
            Log.infof("redis available again after %d ms; resuming", System.currentTimeMillis() - since.get());
        }
    }

    boolean isDown() {
        return down.get();
    }

    /** Sleeps for the current backoff and doubles it; false when interrupted. */
    boolean pause() {
        long ms = backoffMs.getAndUpdate(b -> Math.min(MAX_BACKOFF_MS, b * 2));
        try {
            Thread.sleep(Duration.ofMillis(ms));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
