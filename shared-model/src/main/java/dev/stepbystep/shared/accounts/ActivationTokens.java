package dev.stepbystep.shared.accounts;

import dev.stepbystep.shared.config.AppConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Account activation links, as Django's {@code PasswordResetTokenGenerator} makes them but
 * stricter: {@code uidb64} is the base64url user id; the token is {@code <issued, base36
 * seconds>-<HMAC-SHA256>} keyed by {@code SECRET_KEY} over the user id, issue time, password
 * hash, active flag and last login. So a token expires, and stops working once the account is
 * active or its password changes, and for good once it has been used: activation sets the last
 * login, which never goes back. An account that has ever logged in is not activated by any link,
 * so deactivating a user (staff's decision) cannot be undone by replaying one. Lifetime:
 * {@code app.activation-ttl} (default 3 days).
 *
 * <p>A link proves the mailbox, not the registrant. {@link #registrantProof} is what the browser
 * that signed up keeps (a cookie) to show, at activation, that it chose the password: an HMAC over
 * the user id and password hash, so a later registration of the same pending address (a new
 * password) voids it.
 */
@ApplicationScoped
public class ActivationTokens {

    /** Default lifetime of an activation link, as in the seed (3 days). */
    public static final Duration DEFAULT_TTL = Duration.ofDays(3);

    private final byte[] key;
    private final Duration ttl;
    private final Clock clock;
    private final String path;

    @Inject
    ActivationTokens(AppConfig config) {
        this(config.secretKey().orElse(AppConfig.DEVELOPMENT_SECRET_KEY), config.activationTtl(), Clock.systemUTC(),
                config.activationPath());
    }

    public ActivationTokens(String secretKey, Duration ttl, Clock clock) {
        this(secretKey, ttl, clock, AppConfig.ACTIVATION_PATH_DEFAULT);
    }

    /** @param path the link's route after the front-end URL, with {@code {uid}} and {@code {token}} */
    public ActivationTokens(String secretKey, Duration ttl, Clock clock, String path) {
        if (!path.matches(AppConfig.ACTIVATION_PATH_PATTERN)) {
            throw new IllegalArgumentException("activation path must start with / and hold {uid} and {token} once each: " + path);
        }
        this.key = ("activation:" + secretKey).getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
        this.clock = clock;
        this.path = path;
    }

    public static String uidb64(long userId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(userId).getBytes(StandardCharsets.US_ASCII));
    }

    /** The user id in a {@code uidb64}, or empty when it is not one. */
    public static Optional<Long> userId(String uidb64) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(uidb64), StandardCharsets.US_ASCII);
            return decoded.matches("[1-9][0-9]{0,17}") ? Optional.of(Long.parseLong(decoded)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String token(User user) {
        long issued = clock.instant().getEpochSecond();
        return Long.toString(issued, 36) + "-" + mac(user, issued);
    }

    /** True when {@code token} was made for this user in its current state and has not expired. */
    public boolean isValid(User user, String token) {
        if (token == null || user == null || user.active || user.lastLogin != null) {
            return false;
        }
        int dash = token.indexOf('-');
        if (dash < 1 || dash > 13) {
            return false;
        }
        long issued;
        try {
            issued = Long.parseLong(token.substring(0, dash), 36);
        } catch (NumberFormatException e) {
            return false;
        }
        long age = clock.instant().getEpochSecond() - issued;
        if (age < 0 || age > ttl.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(mac(user, issued).getBytes(StandardCharsets.US_ASCII),
                token.substring(dash + 1).getBytes(StandardCharsets.US_ASCII));
    }

    /** What the registering client keeps to prove, at activation, that it chose the account's password. */
    public String registrantProof(User user) {
        return uidb64(user.id) + "." + hmac("registrant|" + user.id + "|" + user.passwordHash);
    }

    /** True when {@code proof} was made by {@link #registrantProof} for this user and its current password. */
    public boolean isRegistrant(User user, String proof) {
        return proof != null && user != null
                && MessageDigest.isEqual(registrantProof(user).getBytes(StandardCharsets.US_ASCII), proof.getBytes(StandardCharsets.US_ASCII));
    }

    /** The activation link a confirmation email carries. */
    public String link(String frontendUrl, User user) {
        String base = frontendUrl.endsWith("/") ? frontendUrl.substring(0, frontendUrl.length() - 1) : frontendUrl;
        return base + path.replace("{uid}", uidb64(user.id)).replace("{token}", token(user));
    }

    private String mac(User user, long issued) {
        return hmac(user.id + "|" + issued + "|" + user.passwordHash + "|" + user.active + "|"
                + (user.lastLogin == null ? "" : Long.toString(user.lastLogin.toEpochMilli())));
    }

    private String hmac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 20);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
