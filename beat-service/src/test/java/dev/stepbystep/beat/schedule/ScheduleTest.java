package dev.stepbystep.beat.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {

    @Test
    void intervalSlotsAreAlignedToTheEpochSoEveryReplicaAgrees() {
        Schedule every10s = Schedule.every(Duration.ofSeconds(10));
        Instant now = Instant.parse("2026-11-26T10:00:07.250Z");
        assertThat(every10s.previousSlot(now)).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(every10s.nextSlot(now)).isEqualTo(Instant.parse("2026-11-26T10:00:10Z"));
        assertThat(every10s.previousSlot(Instant.parse("2026-11-26T10:00:10Z"))).isEqualTo(Instant.parse("2026-11-26T10:00:10Z"));
    }

    @Test
    void cronFiresAtTheExpectedInstantsInItsZone() {
        Schedule quarterly = Schedule.cron("*/15 * * * *", "UTC");
        Instant now = Instant.parse("2026-11-26T10:07:00Z");
        assertThat(quarterly.previousSlot(now)).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(quarterly.nextSlot(now)).isEqualTo(Instant.parse("2026-11-26T10:15:00Z"));
        assertThat(quarterly.previousSlot(Instant.parse("2026-11-26T10:15:00Z"))).isEqualTo(Instant.parse("2026-11-26T10:15:00Z"));

        Schedule parisMorning = Schedule.cron("0 3 * * *", "Europe/Paris");
        assertThat(parisMorning.nextSlot(Instant.parse("2026-11-26T10:00:00Z"))).isEqualTo(Instant.parse("2026-11-27T02:00:00Z"));
        assertThat(parisMorning.previousSlot(Instant.parse("2026-11-26T10:00:00Z"))).isEqualTo(Instant.parse("2026-11-26T02:00:00Z"));
    }

    @Test
    void badSchedulesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Schedule.cron("61 * * * *", "UTC")).hasMessageContaining("bad cron expression '61 * * * *'");
        assertThatThrownBy(() -> Schedule.cron("* * * *", "UTC")).hasMessageContaining("bad cron expression");
        assertThatThrownBy(() -> Schedule.cron("0 3 * * *", "Mars/Olympus")).hasMessageContaining("unknown time zone");
        assertThatThrownBy(() -> Schedule.every(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> Schedule.cron("0 0 31 4 *", "UTC")).hasMessageContaining("never fires");
    }

    @Test
    void aRareButRealDateIsAccepted() {
        Schedule leapDay = Schedule.cron("0 0 29 2 *", "UTC");
        assertThat(leapDay.nextSlot(Instant.parse("2026-11-26T10:00:00Z"))).isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
    }
}
