package dev.stepbystep.shared.jobs;

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
}
