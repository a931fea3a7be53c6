package dev.stepbystep.beat.schedule;

import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** When a schedule fires, with a controlled clock: normal slots, missed slots both ways, no bursts. */
class PlannedScheduleTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private static PlannedSchedule every10s(boolean fireMissedOnce) {
        return new PlannedSchedule("tick", Tasks.DEBUG, DebugSleep.noop(), "default", Schedule.every(Duration.ofSeconds(10)), fireMissedOnce);
    }

    @Test
    void aSlotThatComesWhileRunningFiresOnce() {
        PlannedSchedule s = every10s(true);
        Instant started = T0.plusSeconds(3);
        assertThat(s.due(T0, T0.plusSeconds(9), started)).isEmpty();
        assertThat(s.due(T0, T0.plusSeconds(10), started)).contains(T0.plusSeconds(10));
        assertThat(s.due(T0.plusSeconds(10), T0.plusSeconds(12), started)).as("already fired").isEmpty();
    }

    @Test
    void afterDowntimeFireOnceFiresTheLatestMissedSlotOnlyOnce() {
        PlannedSchedule s = every10s(true);
        Instant lastFired = T0;
        Instant restartedAt = T0.plusSeconds(95); // slots 10..90 were missed
        assertThat(s.due(lastFired, restartedAt, restartedAt)).contains(T0.plusSeconds(90));
        assertThat(s.due(T0.plusSeconds(90), restartedAt.plusSeconds(1), restartedAt)).as("no burst of backlog").isEmpty();
        assertThat(s.due(T0.plusSeconds(90), T0.plusSeconds(100), restartedAt)).contains(T0.plusSeconds(100));
    }

    @Test
    void afterDowntimeSkipWaitsForTheNextSlot() {
        PlannedSchedule s = every10s(false);
        Instant restartedAt = T0.plusSeconds(95);
        assertThat(s.due(T0, restartedAt, restartedAt)).isEmpty();
        assertThat(s.due(T0, T0.plusSeconds(100), restartedAt)).contains(T0.plusSeconds(100));
    }

    @Test
    void aScheduleThatNeverFiredWaitsForItsFirstSlotAfterStart() {
        PlannedSchedule s = new PlannedSchedule("nightly", Tasks.DEBUG, DebugSleep.noop(), "default",
                Schedule.cron("0 3 * * *", "UTC"), true);
        Instant deployedAt = Instant.parse("2026-11-26T09:00:00Z");
        assertThat(s.due(null, deployedAt, deployedAt)).isEmpty();
        assertThat(s.due(null, Instant.parse("2026-11-27T03:00:00.200Z"), deployedAt)).contains(Instant.parse("2026-11-27T03:00:00Z"));
    }
}
