package dev.stepbystep.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;

/** The web service's own settings. */
@ConfigMapping(prefix = "web")
public interface WebConfig {

    Tokens tokens();

    Cookies cookies();

    Login login();

    /**
     * {@code WEB_BODY_TIMEOUT}: a request body must arrive in full within this, or the request
     * is answered 408 and its connection closed (slow clients).
     */
    @WithDefault("10S")
    @org.hibernate.validator.constraints.time.DurationMin(millis = 100, message = "must be at least 100 ms")
    Duration bodyTimeout();

    /**
     * {@code WEB_ALLOWED_HOSTS}: host names web answers for (comma-separated; a leading dot
     * allows subdomains; {@code *} allows any). Empty: FRONTEND_URL's host and the loopback names.
     */
    java.util.Optional<java.util.List<String>> allowedHosts();

    /**
     * {@code WEB_DEBUG_ENDPOINTS}: serve the seed's debug endpoint {@code POST /api/exception/}
     * (a deliberate 500, to test error reporting). Off by default; run-local and compose turn it on.
     */
    @WithDefault("false")
    boolean debugEndpoints();

    /**
     * {@code WEB_CHAT_WAIT}: how long a chat send waits for the assistant's reply (without
     * holding a thread) before answering 202 with the job id instead of 201 with the reply.
     */
    @WithDefault("30S")
    @org.hibernate.validator.constraints.time.DurationMin(millis = 0, message = "must not be negative")
    @org.hibernate.validator.constraints.time.DurationMax(minutes = 5, message = "must be at most 5 minutes")
    Duration chatWait();

    /** {@code WEB_MAX_BODY_SIZE}: the largest request body that is not a multipart form (413 above). */
    @WithDefault("1M")
    io.quarkus.runtime.configuration.MemorySize maxBodySize();

    /** {@code WEB_MAX_IMAGE_SIZE}: the largest post image (413 above). */
    @WithDefault("5M")
    io.quarkus.runtime.configuration.MemorySize maxImageSize();

    /** Posts without an account, as the seed's apps make them. */
    AnonymousPosts anonymousPosts();

    interface AnonymousPosts {
        /**
         * {@code WEB_ANONYMOUS_POSTS}: accept a post from a client that is not logged in
         * ({@code created_by: null}; only staff may edit or delete it). Off by default: an open
         * form is a spam and abuse channel that nobody answers for.
         */
        @WithDefault("false")
        boolean enabled();

        /** {@code WEB_ANONYMOUS_POSTS_PER_ADDRESS}: anonymous posts from one client address within the window. */
        @WithDefault("10") @Min(1) @Max(100_000)
        int perAddress();

        @WithDefault("1H")
        Duration window();
    }

    /** Limits of {@code POST /api/register/}. */
    Register register();

    interface Register {
        /** Sign-ups from one client address within the window. */
        @WithDefault("20") @Min(1) @Max(1_000_000)
        int perAddress();

        /**
         * Sign-ups of one email address within the window, from any client: each one of a pending
         * address replaces its registration and mails its owner.
         */
        @WithDefault("10") @Min(1) @Max(1_000_000)
        int perAccount();

        @WithDefault("1H")
        Duration window();
    }

    /** Limits of {@code POST /api/resend-confirmation/}. */
    Resend resendConfirmation();

    interface Resend {
        /** Resends asked for one address within the window. */
        @WithDefault("3") @Min(1) @Max(1000)
        int perAccount();

        /** Resends asked for from one client address within the window. */
        @WithDefault("20") @Min(1) @Max(100_000)
        int perAddress();

        @WithDefault("1H")
        Duration window();
    }

    /**
     * {@code WEB_TRUSTED_PROXIES}: comma-separated addresses or CIDR blocks of the proxies in
     * front of web (the ALB's subnets); only their X-Forwarded-For entries are believed. Empty:
     * the TCP peer is the client.
     */
    java.util.Optional<java.util.List<String>> trustedProxies();

    interface Tokens {
        /** Lifetime of an access token. */
        @WithDefault("5M")
        Duration accessTtl();

        /** Lifetime of a refresh token. */
        @WithDefault("P1D")
        Duration refreshTtl();
    }

    interface Cookies {
        /** Mark auth cookies Secure (browsers send them over HTTPS only); turn off only for local http. */
        @WithDefault("true")
        boolean secure();

        /** SameSite of auth cookies: Lax, Strict or None (None needs secure=true, or browsers drop the cookie). */
        @WithDefault("Lax")
        @Pattern(regexp = "Lax|Strict|None")
        String sameSite();
    }

    interface Login {
        /** Login attempts allowed per account within the window. */
        @WithDefault("10") @Min(1) @Max(10_000)
        int perAccount();

        /** Login attempts allowed per client address within the window. */
        @WithDefault("100") @Min(1) @Max(1_000_000)
        int perAddress();

        @WithDefault("15M")
        Duration window();
    }
}
