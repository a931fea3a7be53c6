package dev.stepbystep.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** How jobs are kept in Redis; shared by everything that enqueues, reads or runs jobs. */
@ConfigMapping(prefix = "app.queue")
public interface QueueConfig {

    /** Prefix of every Redis key the queue uses, so several deployments (or tests) can share one Redis. */
    @WithDefault("sbs")
    @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}")
    String prefix();

    /** Every Redis key of this deployment, under {@link #prefix()}. */
    default dev.stepbystep.jobs.KeySchema keys() {
        return new dev.stepbystep.jobs.KeySchema(prefix());
    }

    /** How long a finished job's state and result stay readable. */
    @WithDefault("P1D")
    @DurationMin(seconds = 1, message = "must be at least 1 second")
    Duration resultTtl();

    /** How long an idempotency key maps to its job. */
    @WithDefault("P1D")
    @DurationMin(seconds = 1, message = "must be at least 1 second")
    Duration idempotencyTtl();

    /** The longest a single Redis call may take before it counts as an outage. */
    @WithDefault("5S")
    @DurationMin(millis = 100, message = "must be at least 100 ms")
    Duration redisTimeout();

    /** The transactional outbox ({@link JobOutbox}) and its relay ({@link OutboxRelay}). */
    Outbox outbox();

    interface Outbox {

        /** Sweep the outbox in this process; web and worker do, beat (which never writes it) does not. */
        @WithDefault("true")
        boolean relayEnabled();

        /** How often the relay looks for rows a crash or a Redis outage left behind. */
        @WithDefault("1S")
        @DurationMin(millis = 50, message = "must be at least 50 ms")
        Duration relayInterval();

        /**
         * A row this old is swept; younger ones are being pushed by the process that committed
         * them (a push by both is harmless, this only saves the work).
         */
        @WithDefault("2S")
        @DurationMin(millis = 0, message = "must not be negative")
        Duration relayAfter();

        /** Most rows one sweep takes. */
        @WithDefault("500")
        @jakarta.validation.constraints.Min(1)
        @jakarta.validation.constraints.Max(10000)
        int relayBatch();

        /**
         * Test hook: halt the process right after a commit that wrote outbox rows, before they are
         * pushed, as a {@code kill -9} at the worst moment would. Never set it in a deployment.
         */
        @WithDefault("false")
        boolean haltAfterCommit();
    }
}
