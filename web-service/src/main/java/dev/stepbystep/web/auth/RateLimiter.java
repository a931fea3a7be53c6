package dev.stepbystep.web.auth;

import dev.stepbystep.jobs.LuaScript;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.web.errors.ApiException;
import io.quarkus.logging.Log;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Fixed-window counters in Redis (the counter and its expiry set in one script, so a crash
 * cannot leave a counter that never expires). Over the limit: 429 with Retry-After. If Redis is
 * down the request is not blocked by it (a limit is a brake, not a gate).
 */
@ApplicationScoped
public class RateLimiter {

    /** KEYS: the window's counter. ARGV: the window in ms. Returns {count, ms until the window ends}. */
    private static final LuaScript COUNT = LuaScript.of("rate-limit", """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return {n, redis.call('PTTL', KEYS[1])}""");

    @Inject
    Redis redis;

    @Inject
    QueueConfig keys;

    /** Counts one {@code what} for {@code subject} (e.g. "login:acct:42"); 429 past {@code limit} in {@code window}. */
    public void count(String subject, int limit, Duration window, String what) {
        Response r;
        try {
            r = COUNT.run(redis, List.of(keys.keys().rateLimit(subject)), List.of(Long.toString(window.toMillis())))
                    .await().atMost(keys.redisTimeout());
        } catch (RuntimeException e) {
            Log.warnf("rate limit on %s not checked, Redis unavailable: %s", what, e.getMessage());
            return;
        }
        long count = r.get(0).toLong();
        if (count > limit) {
            long retryAfter = Math.max(1, (r.get(1).toLong() + 999) / 1000);
            throw new ApiException(429, "Too Many Requests", "too many " + what + "; try again in " + retryAfter + " s",
                    Map.of("Retry-After", Long.toString(retryAfter)));
        }
    }
}
