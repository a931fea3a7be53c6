package dev.stepbystep.worker;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The worker's own configuration; see application.properties for the environment variables. */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {

    /** {@code WORKER_QUEUES}: comma-separated queue names this worker consumes. */
    @NotEmpty
    List<@Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "queue names are 1-64 letters, digits, '_', '.' or '-'") String> queues();

    /** {@code WORKER_CONCURRENCY}: jobs run at once by this process. */
    @Min(1) @Max(512)
    int concurrency();

    Email email();

    /** Consume jobs at all; false leaves a worker that serves only health and metrics. */
    @WithDefault("true")
    boolean enabled();

    /**
     * {@code WORKER_LEASE}: a worker renews the lease of every job it runs every quarter of this;
     * a job whose lease lapsed (its worker died, hung or lost Redis) is redelivered, at most a
     * quarter of a lease later. Independent of time limits: a live worker's job is never redelivered.
     */
    @WithDefault("15S")
    @DurationMin(seconds = 1, message = "must be at least 1 second")
    Duration lease();

    /** On SIGTERM, how long in-flight jobs may finish before they are handed back to the queue. */
    @WithDefault("25S")
    @DurationMin(seconds = 0, message = "must not be negative")
    Duration shutdownGrace();

    /** Most jobs fetched from Redis in one read. */
    @Min(1) @Max(1000)
    @WithDefault("64")
    int fetchBatch();

    /** How often delayed jobs are checked for being due (the most a countdown can overrun). */
    @WithDefault("100MS")
    @DurationMin(millis = 10, message = "must be at least 10 ms")
    Duration promoteInterval();

    /** How often queue depth gauges are refreshed. */
    @WithDefault("5S")
    @DurationMin(millis = 100, message = "must be at least 100 ms")
    Duration statsInterval();

    /** The chat assistant's model provider (task {@code chat.reply}). */
    Llm llm();

    interface Llm {
        /**
         * {@code LLM_BASE_URL}: an OpenAI-compatible API ({@code POST {base}/chat/completions}),
         * e.g. {@code https://api.openai.com/v1}. Empty: replies are the seed's mocked text.
         */
        Optional<@Pattern(regexp = "https?://[^\\s/?#]+[^\\s?#]*", message = "must be an http(s) URL without query or fragment") String> baseUrl();

        /** {@code LLM_MODEL}: the model named in each request. */
        @WithDefault("gpt-4o-mini")
        @Pattern(regexp = "[A-Za-z0-9._:/@-]{1,200}", message = "must be a model name")
        String model();

        /** {@code LLM_API_KEY}: sent as {@code Authorization: Bearer}; in ECS injected from Secrets Manager. */
        Optional<String> apiKey();

        /** {@code LLM_TIMEOUT}: longest wait for one completion; longer counts as a failed attempt (retried). */
        @WithDefault("60S")
        @DurationMin(seconds = 1, message = "must be at least 1 second")
        Duration timeout();
    }

    interface Email {
        /** {@code EMAIL_HOST} */
        @NotBlank
        String host();

        /** {@code EMAIL_PORT} */
        @Min(1) @Max(65535)
        int port();

        /** {@code EMAIL_HOST_USER} */
        Optional<String> username();

        /** {@code EMAIL_HOST_PASSWORD} */
        Optional<String> password();

        /** {@code DEFAULT_FROM_EMAIL} */
        @NotBlank
        String from();

        /**
         * When nothing answers on {@code EMAIL_HOST:EMAIL_PORT}, log the email (recipient,
         * subject, text: the activation link) instead of failing the job. On in the dev profile
         * ({@code bin/run-local}) so a walk-through needs no SMTP server; off everywhere else,
         * where an unreachable server is a failed attempt that is retried.
         */
        @WithDefault("false")
        boolean logWhenUnreachable();
    }
}
