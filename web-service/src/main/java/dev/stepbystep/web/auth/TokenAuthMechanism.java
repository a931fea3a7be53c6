package dev.stepbystep.web.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;

/**
 * Authenticates a request by its access token: the {@code Authorization: Bearer} header (scripts,
 * mobile; an invalid one is a 401, see {@link AuthFailures}) or the HttpOnly {@code access}
 * cookie (browsers; an invalid one is anonymous). Verification is local (signature and
 * expiry) plus {@link AccessStamps} (logged out? issued before the account changed?), which costs
 * no database round trip and at most one Redis lookup per token per second. Roles: {@code user},
 * plus {@code staff} for staff accounts. The attribute {@code auth} says which carrier was used,
 * for the CSRF check on cookie-authenticated writes.
 */
@ApplicationScoped
public class TokenAuthMechanism implements HttpAuthenticationMechanism {

    public static final String ACCESS_COOKIE = "access";
    public static final String REFRESH_COOKIE = "refresh_token";
    public static final String VIA = "auth";
    public static final String CLAIMS = "claims";

    @Inject
    JwtCodec jwt;

    @Inject
    AccessStamps stamps;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        String token = null;
        String via = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
            via = "bearer";
        } else {
            Cookie cookie = context.request().getCookie(ACCESS_COOKIE);
            if (cookie != null) {
                token = cookie.getValue();
                via = "cookie";
            }
        }
        if (token == null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        String carrier = via;
        // A client that sends a token means to be someone: a bad one is a 401 (as simplejwt
        // answers), never a silent downgrade to anonymous. An invalid access cookie stays
        // anonymous: browsers keep sending it, and the seed's app refreshes it on its own.
        boolean strict = "bearer".equals(via) && !isCredentialEndpoint(context.normalizedPath());
        var decoded = jwt.decode(token, "access");
        if (decoded.isEmpty()) {
            return strict ? Uni.createFrom().failure(new AuthenticationFailedException("invalid_token"))
                    : Uni.createFrom().optional(java.util.Optional.empty());
        }
        JwtCodec.Claims claims = decoded.get();
        Boolean known = stamps.known(claims); // the usual case: answered within the last second
        if (known != null) {
            return identity(claims, carrier, known, strict);
        }
        return stamps.valid(claims).onItem().transformToUni(valid -> identity(claims, carrier, valid, strict));
    }

    private static Uni<SecurityIdentity> identity(JwtCodec.Claims claims, String carrier, boolean valid, boolean strict) {
        if (!valid) {
            // Logged out, or issued before the account was deactivated, demoted or its password changed.
            return strict ? Uni.createFrom().failure(new AuthenticationFailedException("invalid_token"))
                    : Uni.createFrom().optional(java.util.Optional.empty());
        }
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(Long.toString(claims.userId())))
                .addRole("user")
                .addAttribute(VIA, carrier)
                .addAttribute(CLAIMS, claims);
        if (claims.staff()) {
            identity.addRole("staff");
        }
        return Uni.createFrom().item(identity.build());
    }

    /**
     * Endpoints that take credentials or a link instead of a token (as simplejwt's views have no
     * authentication classes): a stale Authorization header a client keeps sending must not stop
     * it logging in again.
     */
    private static boolean isCredentialEndpoint(String path) {
        return path.startsWith("/api/token/") || path.startsWith("/api/auth/jwt/") || path.equals("/api/register/")
                || path.startsWith("/api/activate/") || path.equals("/api/resend-confirmation/");
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }
}
