package dev.stepbystep.web.auth;

import dev.stepbystep.web.WebConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;

import java.time.Duration;

/**
 * The HttpOnly cookies: {@code access} and {@code refresh_token} (Path=/), and {@code registration}
 * (Path=/api/activate/, the sign-up's registrant proof); Secure and SameSite as configured.
 */
@ApplicationScoped
public class AuthCookies {

    @Inject
    WebConfig config;

    void validate(@Observes StartupEvent event) {
        if ("None".equals(config.cookies().sameSite()) && !config.cookies().secure()) {
            throw new dev.stepbystep.shared.config.StartupRefusedException(
                    "web.cookies.same-site=None needs web.cookies.secure=true: browsers drop SameSite=None cookies that are not Secure");
        }
    }

    public NewCookie access(String token) {
        return cookie(TokenAuthMechanism.ACCESS_COOKIE, token, config.tokens().accessTtl());
    }

    public NewCookie refresh(String token) {
        return cookie(TokenAuthMechanism.REFRESH_COOKIE, token, config.tokens().refreshTtl());
    }

    public NewCookie clear(String name) {
        return cookie(name, "", Duration.ZERO);
    }

    /** The registrant proof of a sign-up, sent back only to the activation endpoint. */
    public NewCookie registration(String proof, Duration maxAge) {
        return cookie(REGISTRATION_COOKIE, proof, maxAge, ACTIVATION_PATH);
    }

    public NewCookie clearRegistration() {
        return cookie(REGISTRATION_COOKIE, "", Duration.ZERO, ACTIVATION_PATH);
    }

    public static final String REGISTRATION_COOKIE = "registration";

    private static final String ACTIVATION_PATH = "/api/activate/";

    private NewCookie cookie(String name, String value, Duration maxAge) {
        return cookie(name, value, maxAge, "/");
    }

    private NewCookie cookie(String name, String value, Duration maxAge, String path) {
        return new NewCookie.Builder(name).value(value).path(path).httpOnly(true).secure(config.cookies().secure())
                .sameSite(NewCookie.SameSite.valueOf(config.cookies().sameSite().toUpperCase()))
                .maxAge((int) maxAge.toSeconds()).build();
    }
}
