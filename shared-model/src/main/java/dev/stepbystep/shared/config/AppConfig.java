package dev.stepbystep.shared.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.net.URI;
import java.util.Optional;

/**
 * Configuration every service shares. Each key is bound to the environment variable named in
 * docs/configuration.md by {@code META-INF/microprofile-config.properties} of this module, with the local
 * default, so a laptop needs no setup and a deploy changes only environment variables.
 */
@ConfigMapping(prefix = "app")
public interface AppConfig {

    /** The value {@code SECRET_KEY} has when nobody set it; production refuses to start with it. */
    String DEVELOPMENT_SECRET_KEY = "development-secret-key-do-not-use-in-production";

    /** Shortest {@code SECRET_KEY} production accepts (HMAC-SHA256 wants at least 256 bits). */
    int MIN_PRODUCTION_SECRET_LENGTH = 32;

    /**
     * {@code SECRET_KEY}: signs tokens. Optional only so that an empty variable reaches
     * {@link SecretKeyGuard}, which refuses it with a message naming the variable.
     */
    Optional<String> secretKey();

    /** Refuse to start when {@link #secretKey()} is missing or the development value (true in prod). */
    @WithDefault("false")
    boolean requireProductionSecret();

    /** {@code SOURCE_TAG}: release identifier shown by {@code /api/version/}. */
    String sourceTag();

    /** {@code FRONTEND_URL}: base of links in emails and the allowed CORS origin. */
    URI frontendUrl();

    /**
     * {@code EMAIL_ACTIVATION_PATH}: the front-end route of the activation link, after
     * {@code FRONTEND_URL}, with {@code {uid}} and {@code {token}} where the two parts go. Empty:
     * {@value #ACTIVATION_PATH_DEFAULT}, the Nuxt app's route; the Quasar app's is
     * {@code /activate/{uid}/{token}}. (Optional rather than a default in the properties file:
     * a configuration expression cannot hold braces.)
     */
    Optional<@jakarta.validation.constraints.Pattern(regexp = ACTIVATION_PATH_PATTERN,
            message = "must be a path starting with / that holds {uid} and {token} once each, e.g. /verify/{uid}/{token}") String> emailActivationPath();

    /** {@link #emailActivationPath()}, or the default route. */
    default String activationPath() {
        return emailActivationPath().orElse(ACTIVATION_PATH_DEFAULT);
    }

    String ACTIVATION_PATH_DEFAULT = "/verify/{uid}/{token}";

    /** A path of URL-safe characters with {uid} before {token} (or after), each exactly once. */
    String ACTIVATION_PATH_PATTERN = "/(?!.*\\{uid\\}.*\\{uid\\})(?!.*\\{token\\}.*\\{token\\})(?=.*\\{uid\\})(?=.*\\{token\\})"
            + "[A-Za-z0-9._~/{}#?=&-]*";

    /** How long an account activation link stays valid. */
    @WithDefault("P3D")
    java.time.Duration activationTtl();

    /** {@code ADMIN_EMAIL}: recipient of admin emails. */
    Optional<String> adminEmail();

    Postgres postgres();

    Redis redis();

    Aws aws();

    Tracing tracing();

    interface Tracing {
        /**
         * {@code OTEL_EXPORTER_OTLP_ENDPOINT}: where spans are exported over OTLP. Unset: nothing
         * is recorded or exported (TracingSampler); trace ids still reach jobs and log lines.
         */
        Optional<URI> endpoint();

        /** {@code OTEL_TRACES_SAMPLER_ARG}: the ratio of new traces recorded when exporting (1: all). */
        @WithDefault("1.0")
        @jakarta.validation.constraints.DecimalMin("0") @jakarta.validation.constraints.DecimalMax("1")
        double ratio();

        /** Whether spans are recorded and exported. */
        default boolean exporting() {
            return endpoint().isPresent();
        }
    }

    interface Postgres {
        /** {@code POSTGRES_SERVICE_HOST} */
        @NotBlank
        String host();

        /** {@code POSTGRES_SERVICE_PORT} */
        @Min(1) @Max(65535)
        int port();

        /** {@code POSTGRES_NAME} */
        @NotBlank
        String name();

        /** {@code POSTGRES_USERNAME} */
        @NotBlank
        String username();

        /**
         * {@code DB_SECRET_NAME}: when set, the database credentials come from AWS Secrets
         * Manager under this name instead of {@code POSTGRES_PASSWORD}.
         */
        Optional<String> secretName();
    }

    interface Redis {
        /** {@code REDIS_SERVICE_HOST} */
        @NotBlank
        String host();

        /** {@code REDIS_SERVICE_PORT} */
        @Min(1) @Max(65535)
        int port();
    }

    interface Aws {
        /** {@code AWS_REGION} */
        @NotBlank
        String region();

        /** {@code AWS_ENDPOINT_URL}: endpoint override for local emulators and tests. */
        Optional<URI> endpointUrl();
    }
}
