package dev.stepbystep.worker;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

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
    }
}
