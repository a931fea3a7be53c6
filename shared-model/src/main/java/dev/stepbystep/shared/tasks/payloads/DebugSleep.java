package dev.stepbystep.shared.tasks.payloads;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Instant;

/**
 * {@code core.debug_task}: sleeps, then succeeds; a test and load tool. To exercise failures,
 * attempts numbered below {@code failUntilAttempt} fail, and so does any attempt before the
 * instant {@code failUntil} (an outage of some remote system, say); both are optional.
 */
public record DebugSleep(@Min(0) @Max(600_000) long sleepMs, @Min(0) @Max(100) int failUntilAttempt, Instant failUntil) {

    public static DebugSleep noop() {
        return new DebugSleep(0, 0, null);
    }

    public static DebugSleep sleep(long ms) {
        return new DebugSleep(ms, 0, null);
    }
}
