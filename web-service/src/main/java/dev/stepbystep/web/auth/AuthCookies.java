package dev.stepbystep.web.auth;

import dev.stepbystep.web.WebConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;

import java.time.Duration;

/** The HttpOnly auth cookies: {@code access} and {@code refresh_token}, Path=/, Secure and SameSite as configured. */
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

    private NewCookie cookie(String name, String value, Duration maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true).secure(config.cookies().secure())
                .sameSite(NewCookie.SameSite.valueOf(config.cookies().sameSite().toUpperCase()))
                .maxAge((int) maxAge.toSeconds()).build();
    }
}
