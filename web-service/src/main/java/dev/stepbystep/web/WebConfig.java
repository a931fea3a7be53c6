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
