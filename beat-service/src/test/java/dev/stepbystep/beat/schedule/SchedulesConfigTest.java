package dev.stepbystep.beat.schedule;

import dev.stepbystep.jobs.PayloadCodec;
import dev.stepbystep.shared.tasks.payloads.BeatDebug;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schedules from configuration: the seed's default, and each kind of invalid entry refused with its reason. */
@QuarkusTest
class SchedulesConfigTest {

    @Inject
    Schedules schedules;

    @Inject
    PayloadCodec payloads;

    record Entry(String task, String payload, Optional<String> queue, Optional<Duration> every, Optional<String> cron,
                 String zone, boolean enabled, String missed) implements BeatConfig.Entry {
    }

    private static Entry every(String task, String payload, String every) {
        return new Entry(task, payload, Optional.empty(), Optional.of(Duration.parse(every)), Optional.empty(), "UTC", true, "fire-once");
    }

    @Test
    void theSeedsScheduleShipsAsTheDefault() {
        assertThat(schedules.load()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("celery-beat-debug-task");
            assertThat(s.task().name()).isEqualTo("core.celery_beat_debug_task");
            assertThat(s.schedule().describe()).isEqualTo("every PT10S");
            assertThat(s.payload()).isInstanceOf(BeatDebug.class);
            assertThat(s.fireMissedOnce()).isTrue();
        });
    }

    @Test
    void invalidEntriesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Schedules.plan("x", every("no.such_task", "{}", "PT1S"), payloads)).hasMessageContaining("unknown task 'no.such_task'");
        assertThatThrownBy(() -> Schedules.plan("x", every("core.debug_task", "{\"sleepMs\":-1}", "PT1S"), payloads)).hasMessageContaining("sleepMs");
        assertThatThrownBy(() -> Schedules.plan("x", every("core.debug_task", "not json", "PT1S"), payloads)).hasMessageContaining("unreadable payload");
        assertThatThrownBy(() -> Schedules.plan("x", new Entry("core.debug_task", "{}", Optional.empty(), Optional.of(Duration.ofSeconds(1)),
                Optional.of("* * * * *"), "UTC", true, "fire-once"), payloads)).hasMessageContaining("exactly one of 'every' and 'cron'");
        assertThatThrownBy(() -> Schedules.plan("x", new Entry("core.debug_task", "{}", Optional.empty(), Optional.empty(),
                Optional.of("every minute"), "UTC", true, "fire-once"), payloads)).hasMessageContaining("bad cron expression");
        assertThatThrownBy(() -> Schedules.plan("x", new Entry("core.debug_task", "{}", Optional.empty(), Optional.empty(),
                Optional.of("0 0 30 2 *"), "UTC", true, "fire-once"), payloads)).hasMessageContaining("'0 0 30 2 *': it never fires");
        assertThatThrownBy(() -> Schedules.plan("x", new Entry("core.debug_task", "{}", Optional.empty(), Optional.of(Duration.ofSeconds(1)),
                Optional.empty(), "UTC", true, "sometimes"), payloads)).hasMessageContaining("missed must be");
        assertThatThrownBy(() -> Schedules.plan("x", new Entry("core.debug_task", "{}", Optional.of("bad queue"), Optional.of(Duration.ofSeconds(1)),
                Optional.empty(), "UTC", true, "skip"), payloads)).hasMessageContaining("queue names");
        assertThatThrownBy(() -> Schedules.plan("bad name!", every("core.debug_task", "{}", "PT1S"), payloads)).hasMessageContaining("names are");
    }
}
