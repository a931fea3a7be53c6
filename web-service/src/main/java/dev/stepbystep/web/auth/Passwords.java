package dev.stepbystep.web.auth;

import io.quarkus.elytron.security.common.BcryptUtil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Password hashing and policy. Hashes are bcrypt over the hex SHA-256 of the password (Django's
 * BCryptSHA256PasswordHasher), so every byte counts: plain bcrypt ignores what comes after 72
 * bytes, and a password's 72-character prefix logged in. Plain bcrypt hashes of earlier
 * versions still verify, and {@link #needsUpgrade} tells the login to rehash them.
 */
public final class Passwords {

    private static final String PREFIX = "bcrypt_sha256$";
    private static final int COST = 10;
    private static final Set<String> COMMON = load("accounts/common-passwords.txt");

    private Passwords() {
    }

    public static String hash(String password) {
        return PREFIX + BcryptUtil.bcryptHash(digest(password), COST);
    }

    public static boolean matches(String password, String hash) {
        if (hash.startsWith(PREFIX)) {
            return BcryptUtil.matches(digest(password), hash.substring(PREFIX.length()));
        }
        return BcryptUtil.matches(password, hash);
    }

    /** True for a hash of an earlier scheme, to be replaced after a successful login. */
    public static boolean needsUpgrade(String hash) {
        return !hash.startsWith(PREFIX);
    }

    /** Why {@code password} is refused for an account with {@code email}, if it is. */
    public static Optional<String> weakness(String password, String email) {
        String stripped = password.strip();
        String localPart = email.substring(0, Math.max(0, email.indexOf('@')));
        if (stripped.isEmpty()) {
            return Optional.of("must not be only white space");
        }
        if (stripped.chars().allMatch(Character::isDigit)) {
            return Optional.of("must not be entirely numeric");
        }
        if (COMMON.contains(stripped.toLowerCase(Locale.ROOT))) {
            return Optional.of("is too common");
        }
        if (password.equalsIgnoreCase(email) || password.equalsIgnoreCase(localPart)) {
            return Optional.of("must not be the email address");
        }
        if (stripped.codePoints().distinct().count() == 1) {
            return Optional.of("must not be one character repeated");
        }
        return Optional.empty();
    }

    private static String digest(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> load(String resource) {
        try (InputStream in = Passwords.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            Set<String> words = new HashSet<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(l -> words.add(l.toLowerCase(Locale.ROOT)));
            return Set.copyOf(words);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
