package dev.stepbystep.beat.schedule;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Periodic jobs, from configuration (factor III). An entry per name under {@code beat.schedules},
 * e.g. {@code BEAT_SCHEDULES_NIGHTLY_REPORT_CRON="0 3 * * *"}. See beat-service/README.md.
 */
@ConfigMapping(prefix = "beat")
public interface BeatConfig {

    Map<String, Entry> schedules();

    Metrics metrics();

    /** The queue-depth publisher: gauges and one CloudWatch EMF line per queue per interval. */
    interface Metrics {
        @WithDefault("60S")
        @DurationMin(seconds = 1, message = "must be at least 1 second")
        Duration interval();

        /** CloudWatch namespace of the EMF lines. */
        @WithDefault("QuarkusStepByStep")
        String namespace();

        /** Value of the "Environment" dimension (e.g. the stack's environment name). */
        @WithDefault("default")
        String environment();
    }

    interface Entry {
        /** Task name from the job contracts, e.g. {@code core.celery_beat_debug_task}. */
        String task();

        /** Payload as JSON, validated against the task's payload type at start. */
        @WithDefault("{}")
        String payload();

        /** Queue; the task's default when empty. */
        Optional<String> queue();

        /** Fixed interval (slots aligned to the epoch), e.g. {@code 10s}, {@code 5m}. */
        Optional<Duration> every();

        /** Unix cron expression (minute hour day-of-month month day-of-week), instead of {@code every}. */
        Optional<String> cron();

        /** Time zone of the cron expression. */
        @WithDefault("UTC")
        String zone();

        @WithDefault("true")
        boolean enabled();

        /** After downtime: {@code fire-once} for the missed period, or {@code skip} to the next slot. */
        @WithDefault("fire-once")
        String missed();
    }
}
