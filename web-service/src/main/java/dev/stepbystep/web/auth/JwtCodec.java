package dev.stepbystep.web.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.shared.config.AppConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * HS256 JSON Web Tokens signed with a key derived from {@code SECRET_KEY}. Kept to the one
 * algorithm we issue: the header is fixed, so a token claiming "none" or RS256 never verifies.
 */
@ApplicationScoped
public class JwtCodec {

    private static final String HEADER = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** What a verified token says. */
    /** @param issuedAtMs when it was issued, in milliseconds ({@code iat_ms}; {@code iat} seconds for older tokens) */
    public record Claims(long userId, String type, boolean staff, String jti, Instant expiresAt, long issuedAtMs) {
    }

    private final byte[] key;
    private final ObjectMapper json;
    /** Mac.getInstance is a provider lookup: each thread keeps an initialised one. */
    private final ThreadLocal<Mac> signer = ThreadLocal.withInitial(this::newSigner);

    @Inject
    JwtCodec(AppConfig config, ObjectMapper json) {
        this.key = hmac(("jwt:" + config.secretKey().orElse(AppConfig.DEVELOPMENT_SECRET_KEY)).getBytes(StandardCharsets.UTF_8),
                "quarkus-step-by-step".getBytes(StandardCharsets.UTF_8));
        this.json = json;
    }

    public String encode(long userId, String type, boolean staff, Instant expiresAt) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", Long.toString(userId));
        claims.put("typ", type);
        claims.put("staff", staff);
        claims.put("jti", UUID.randomUUID().toString());
        Instant now = Instant.now();
        claims.put("iat", now.getEpochSecond());
        claims.put("iat_ms", now.toEpochMilli());
        claims.put("exp", expiresAt.getEpochSecond());
        return sign(claims);
    }

    /** A signed token carrying exactly {@code claims} (tests forge out-of-range claims with it). */
    String sign(Map<String, Object> claims) {
        try {
            String signingInput = HEADER + "." + b64(json.writeValueAsBytes(claims));
            return signingInput + "." + b64(signer.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a well-formed, correctly signed, unexpired token of {@code type}; else empty. */
    public Optional<Claims> decode(String token, String type) {
        if (token == null || token.length() > 4096) {
            return Optional.empty();
        }
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0 || !token.substring(0, first).equals(HEADER)) {
            return Optional.empty();
        }
        try {
            byte[] expected = signer.get().doFinal(token.substring(0, second).getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(expected, DECODER.decode(token.substring(second + 1)))) {
                return Optional.empty();
            }
            var claims = json.readTree(DECODER.decode(token.substring(first + 1, second)));
            Instant exp = Instant.ofEpochSecond(claims.path("exp").asLong(0));
            if (!type.equals(claims.path("typ").asText()) || !Instant.now().isBefore(exp)) {
                return Optional.empty();
            }
            long issuedAtMs = claims.has("iat_ms") ? claims.path("iat_ms").asLong(0) : Math.multiplyExact(claims.path("iat").asLong(0), 1000L);
            return Optional.of(new Claims(Long.parseLong(claims.path("sub").asText()), type,
                    claims.path("staff").asBoolean(false), claims.path("jti").asText(), exp, issuedAtMs));
        } catch (IllegalArgumentException | java.io.IOException | java.time.DateTimeException | ArithmeticException e) {
            return Optional.empty(); // malformed, or a claim out of range (an exp past year 1,000,000,000)
        }
    }

    private Mac newSigner() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
