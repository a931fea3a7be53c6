package dev.stepbystep.web.auth;

import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.web.WebConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether a token still stands for its account's current state, without a database round trip:
 * Redis keeps, per account, when its access last changed ({@code access:<user id>}, written by
 * {@link AccessChangeListener} from PostgreSQL's announcements) and, per token, whether it was
 * logged out ({@code revoked:<jti>}). A token issued before its account's last change, or
 * revoked, no longer authenticates. Answers are cached per token for a second, so a busy client
 * costs Redis one lookup a second; a change is in force everywhere within that second (at once on
 * the replica that made it). If Redis cannot answer, tokens are believed (as before this check).
 */
@ApplicationScoped
public class AccessStamps {

    private static final long CACHE_NANOS = Duration.ofSeconds(1).toNanos();
    private static final int CACHE_MAX = 50_000;

    @Inject
    ReactiveRedisDataSource reactive;

    @Inject
    RedisDataSource redis;

    @Inject
    QueueConfig keys;

    @Inject
    WebConfig config;

    private record Verdict(boolean valid, long checkedAtNanos) {
    }

    private final Map<String, Verdict> cache = new ConcurrentHashMap<>();
    /** Changes this replica wrote or heard of: in force here without waiting for the cache. */
    private final Map<Long, Long> localChanges = new ConcurrentHashMap<>();
    private final Map<String, Boolean> localRevocations = new ConcurrentHashMap<>();
    private final AtomicBoolean redisFailing = new AtomicBoolean();

    /** The answer known without Redis (ended here, or checked within the last second), or null. */
    public Boolean known(JwtCodec.Claims claims) {
        if (locallyEnded(claims)) {
            return false;
        }
        Verdict cached = cache.get(claims.jti());
        return cached != null && System.nanoTime() - cached.checkedAtNanos() < CACHE_NANOS ? cached.valid() : null;
    }

    /** True when the token was issued after its account's last change and was not logged out. */
    public Uni<Boolean> valid(JwtCodec.Claims claims) {
        Boolean known = known(claims);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        long now = System.nanoTime();
        return reactive.value(String.class).mget(changeKey(claims.userId()), revokedKey(claims.jti()))
                .map(values -> {
                    boolean valid = judge(claims, values.get(changeKey(claims.userId())), values.get(revokedKey(claims.jti())));
                    remember(claims.jti(), valid, now);
                    redisFailing.set(false);
                    return valid;
                })
                .onFailure().recoverWithItem(e -> {
                    if (redisFailing.compareAndSet(false, true)) {
                        Log.warnf("token revocation not checked, Redis unavailable: %s", e.getMessage());
                    }
                    return true;
                });
    }

    /** {@link #valid} for blocking callers (token refresh). */
    public boolean validNow(JwtCodec.Claims claims) {
        if (locallyEnded(claims)) {
            return false;
        }
        try {
            Map<String, String> values = redis.value(String.class).mget(changeKey(claims.userId()), revokedKey(claims.jti()));
            return judge(claims, values.get(changeKey(claims.userId())), values.get(revokedKey(claims.jti())));
        } catch (RuntimeException e) {
            Log.warnf("token revocation not checked, Redis unavailable: %s", e.getMessage());
            return true;
        }
    }

    /** The account's access changed at {@code atMs}: every token issued before then ends. */
    public void changed(long userId, long atMs) {
        localChanges.merge(userId, atMs, Math::max);
        Duration keep = config.tokens().refreshTtl().plusMinutes(1); // older tokens have expired anyway
        redis.value(String.class).set(changeKey(userId), Long.toString(atMs), new SetArgs().px(keep));
    }

    /** Logs a token out until it would have expired anyway. */
    public void revoke(String jti, Instant expiresAt) {
        Duration left = Duration.between(Instant.now(), expiresAt);
        if (left.isNegative() || left.isZero()) {
            return;
        }
        localRevocations.put(jti, true);
        redis.value(String.class).set(revokedKey(jti), "1", new SetArgs().px(left));
    }

    private boolean locallyEnded(JwtCodec.Claims claims) {
        Long change = localChanges.get(claims.userId());
        return (change != null && claims.issuedAtMs() < change) || localRevocations.containsKey(claims.jti());
    }

    private static boolean judge(JwtCodec.Claims claims, String change, String revoked) {
        if (revoked != null) {
            return false;
        }
        try {
            return change == null || claims.issuedAtMs() >= Long.parseLong(change);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private void remember(String jti, boolean valid, long now) {
        if (cache.size() > CACHE_MAX) {
            cache.clear(); // entries live a second: dropping them all costs one lookup per token
        }
        cache.put(jti, new Verdict(valid, now));
        if (localRevocations.size() > CACHE_MAX) {
            localRevocations.clear(); // Redis has them too
        }
        if (localChanges.size() > CACHE_MAX) {
            localChanges.clear();
        }
    }

    private String changeKey(long userId) {
        return keys.keys().accessChange(userId);
    }

    private String revokedKey(String jti) {
        return keys.keys().revokedToken(jti);
    }
}
