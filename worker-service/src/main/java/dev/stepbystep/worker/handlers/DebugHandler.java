package dev.stepbystep.worker.handlers;

import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import dev.stepbystep.worker.runtime.JobContext;
import dev.stepbystep.worker.runtime.JobHandler;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;

/** {@code core.debug_task}: sleeps, optionally fails the first attempts; a test and load tool. */
@ApplicationScoped
public class DebugHandler implements JobHandler<DebugSleep> {

    @Override
    public TaskDefinition<DebugSleep> task() {
        return Tasks.DEBUG;
    }

    @Override
    public Object handle(DebugSleep payload, JobContext context) throws InterruptedException {
        Instant started = Instant.now();
        if (payload.sleepMs() > 0) {
            Thread.sleep(payload.sleepMs());
        }
        if (context.attempt() < payload.failUntilAttempt()) {
            throw new IllegalStateException("debug failure on attempt " + context.attempt());
        }
        if (payload.failUntil() != null && Instant.now().isBefore(payload.failUntil())) {
            throw new IllegalStateException("debug failure until " + payload.failUntil());
        }
        // Microsecond start time: lets the queue benchmark measure enqueue-to-start latency.
        long startedMicros = started.getEpochSecond() * 1_000_000 + started.getNano() / 1_000;
        return Map.of("slept_ms", payload.sleepMs(), "attempt", context.attempt(), "started_at_us", startedMicros);
    }
}
