package dev.stepbystep.web.auth;

import dev.stepbystep.shared.accounts.Emails;
import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.web.WebConfig;
import dev.stepbystep.web.accounts.AccountRequests.TokenPair;
import dev.stepbystep.web.errors.ApiException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Optional;

/** Logins, token issue and refresh, and refresh-token revocation (a denylist in Redis). */
@ApplicationScoped
public class AuthService {

    /** Verified against when the email is unknown, so a miss costs as much time as a wrong password. */
    private static final String DUMMY_HASH = Passwords.hash("timing-equaliser");

    @Inject
    JwtCodec jwt;

    @Inject
    WebConfig config;

    @Inject
    LoginRateLimiter limiter;

    @Inject
    AccessStamps stamps;

    @Inject
    jakarta.persistence.EntityManager em;

    public static String hash(String password) {
        return Passwords.hash(password);
    }

    /** The active user with these credentials, or 401 (429 when over the attempt limits). */
    @Transactional
    public User login(String email, String password, String address) {
        Optional<User> found = User.findByEmail(email);
        // Counted per account once the address names one, so no spelling of it (case, white
        // space, compatibility forms) gets a fresh counter.
        limiter.attempt(found.map(u -> "id:" + u.id).orElseGet(() -> "email:" + Emails.key(email)), address);
        boolean matches = Passwords.matches(password, found.map(u -> u.passwordHash).orElse(DUMMY_HASH));
        if (found.isEmpty() || !matches || !found.get().active) {
            throw ApiException.unauthorized("no active account found with the given credentials");
        }
        User user = found.get();
        if (Passwords.needsUpgrade(user.passwordHash)) {
            // The same password, hashed so every byte counts: not an access change that ends
            // the account's tokens (see the V3 migration's trigger).
            em.createNativeQuery("select set_config('app.password_upgrade', 'on', true)").getSingleResult();
            user.passwordHash = Passwords.hash(password);
            Log.infof("password hash of user=%d upgraded to bcrypt_sha256", user.id);
        }
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
                .filter(stamps::validNow)
                .flatMap(claims -> User.<User>findByIdOptional(claims.userId()))
                .filter(user -> user.active)
                .map(user -> access(user.id, user.staff));
    }

    /** Logs a token out ({@code type} "refresh" or "access") until it would have expired anyway; invalid ones need nothing. */
    public void revoke(String token, String type) {
        jwt.decode(token, type).ifPresent(claims -> stamps.revoke(claims.jti(), claims.expiresAt()));
    }
}
