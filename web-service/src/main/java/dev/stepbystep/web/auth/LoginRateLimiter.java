package dev.stepbystep.web.auth;

import dev.stepbystep.shared.jobs.QueueConfig;
import dev.stepbystep.web.WebConfig;
import dev.stepbystep.web.errors.ApiException;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;
import java.util.Map;

/**
 * Counts login attempts per account and per client address in Redis (fixed window; the counter
 * and its expiry are set in one script, so a crash cannot leave a counter that never expires).
 * Over either limit: 429 with Retry-After. If Redis is down, logins are not blocked by it.
 */
@ApplicationScoped
public class LoginRateLimiter {

    private static final String SCRIPT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return {n, redis.call('PTTL', KEYS[1])}""";

    @Inject
    RedisDataSource redis;

    @Inject
    WebConfig config;

    @Inject
    QueueConfig keys;

    public void attempt(String email, String address) {
        check("acct:" + email.toLowerCase(Locale.ROOT), config.login().perAccount());
        check("addr:" + address, config.login().perAddress());
    }

    private void check(String subject, int limit) {
        Response r;
        try {
            r = redis.execute("EVAL", SCRIPT, "1", keys.prefix() + ":login:" + subject, Long.toString(config.login().window().toMillis()));
        } catch (RuntimeException e) {
            Log.warnf("login rate limit not checked, Redis unavailable: %s", e.getMessage());
            return;
        }
        long count = r.get(0).toLong();
        if (count > limit) {
            long retryAfter = Math.max(1, (r.get(1).toLong() + 999) / 1000);
            throw new ApiException(429, "Too Many Requests", "too many login attempts; try again in " + retryAfter + " s",
                    Map.of("Retry-After", Long.toString(retryAfter)));
        }
    }
}
