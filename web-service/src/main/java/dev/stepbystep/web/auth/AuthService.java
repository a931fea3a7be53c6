package dev.stepbystep.web.auth;

import dev.stepbystep.shared.accounts.Emails;
import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.shared.jobs.QueueConfig;
import dev.stepbystep.web.WebConfig;
import dev.stepbystep.web.accounts.AccountRequests.TokenPair;
import dev.stepbystep.web.errors.ApiException;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Logins, token issue and refresh, and refresh-token revocation (a denylist in Redis). */
@ApplicationScoped
public class AuthService {

    /** Verified against when the email is unknown, so a miss costs as much time as a wrong password. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("timing-equaliser", 10);

    @Inject
    JwtCodec jwt;

    @Inject
    WebConfig config;

    @Inject
    LoginRateLimiter limiter;

    @Inject
    RedisDataSource redis;

    @Inject
    QueueConfig keys;

    public static String hash(String password) {
        return BcryptUtil.bcryptHash(password, 10);
    }

    /** The active user with these credentials, or 401 (429 when over the attempt limits). */
    @Transactional
    public User login(String email, String password, String address) {
        Optional<User> found = User.findByEmail(email);
        // Counted per account once the address names one, so no spelling of it (case, white
        // space, compatibility forms) gets a fresh counter.
        limiter.attempt(found.map(u -> "id:" + u.id).orElseGet(() -> "email:" + Emails.key(email)), address);
        boolean matches = BcryptUtil.matches(password, found.map(u -> u.passwordHash).orElse(DUMMY_HASH));
        if (found.isEmpty() || !matches || !found.get().active) {
            throw ApiException.unauthorized("no active account found with the given credentials");
        }
        User user = found.get();
        user.lastLogin = Instant.now();
        Log.infof("login user=%d", user.id);
        return user;
    }

    public TokenPair issue(User user) {
        return new TokenPair(access(user.id, user.staff), refresh(user.id, user.staff));
    }

    public String access(long userId, boolean staff) {
        return jwt.encode(userId, "access", staff, Instant.now().plus(config.tokens().accessTtl()));
    }

    private String refresh(long userId, boolean staff) {
        return jwt.encode(userId, "refresh", staff, Instant.now().plus(config.tokens().refreshTtl()));
    }

    /** A new access token for a valid, unrevoked refresh token of a still-active user. */
    @Transactional
    public Optional<String> refreshAccess(String refreshToken) {
        return jwt.decode(refreshToken, "refresh")
                .filter(claims -> !revoked(claims.jti()))
                .flatMap(claims -> User.<User>findByIdOptional(claims.userId()))
                .filter(user -> user.active)
                .map(user -> access(user.id, user.staff));
    }

    /** Revokes a refresh token until it would have expired anyway; unknown or expired tokens need nothing. */
    public void revoke(String refreshToken) {
        jwt.decode(refreshToken, "refresh").ifPresent(claims -> {
            Duration left = Duration.between(Instant.now(), claims.expiresAt());
            if (!left.isNegative() && !left.isZero()) {
                redis.value(String.class).set(keys.prefix() + ":revoked:" + claims.jti(), "1", new SetArgs().px(left));
            }
        });
    }

    private boolean revoked(String jti) {
        return redis.key().exists(keys.prefix() + ":revoked:" + jti);
    }
}
