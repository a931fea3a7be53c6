package dev.stepbystep.beat.schedule;

import dev.stepbystep.jobs.TaskDefinition;

import java.time.Instant;
import java.util.Optional;

/** A validated schedule entry: what to enqueue, where, and when. */
public record PlannedSchedule(String name, TaskDefinition<?> task, Object payload, String queue, Schedule schedule,
                              boolean fireMissedOnce) {

    /**
     * The slot to fire now, if any. {@code lastFired} is the last slot any replica fired (null:
     * never); {@code startedAt} is when this replica began. A slot that came while this replica
     * ran fires; a slot missed before it started fires once only with {@code fireMissedOnce}
     * (never a burst: only the latest missed slot), and a schedule that never fired waits for
     * its first slot after start.
     */
    public Optional<Instant> due(Instant lastFired, Instant now, Instant startedAt) {
        Instant slot = schedule.previousSlot(now);
        if (lastFired != null && !slot.isAfter(lastFired)) {
            return Optional.empty();
        }
        if (!slot.isBefore(startedAt)) {
            return Optional.of(slot);
        }
        return lastFired != null && fireMissedOnce ? Optional.of(slot) : Optional.empty();
    }
}
