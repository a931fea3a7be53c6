package dev.stepbystep.web.auth;

import dev.stepbystep.web.WebConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Login attempts, counted per account and per client address ({@link ClientAddress}). */
@ApplicationScoped
public class LoginRateLimiter {

    @Inject
    RateLimiter limiter;

    @Inject
    WebConfig config;

    /** {@code account}: the account's id, or the normalised address when it names none. */
    public void attempt(String account, String address) {
        limiter.count("login:acct:" + account, config.login().perAccount(), config.login().window(), "login attempts");
        limiter.count("login:addr:" + address, config.login().perAddress(), config.login().window(), "login attempts");
    }
}
