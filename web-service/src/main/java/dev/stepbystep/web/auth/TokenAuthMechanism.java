package dev.stepbystep.web.auth;

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
 * mobile) or the HttpOnly {@code access} cookie (browsers). Verification is local (signature and
 * expiry), so an authenticated request costs no database or Redis round trip. Roles: {@code user},
 * plus {@code staff} for staff accounts. The attribute {@code auth} says which carrier was used,
 * for the CSRF check on cookie-authenticated writes.
 */
@ApplicationScoped
public class TokenAuthMechanism implements HttpAuthenticationMechanism {

    public static final String ACCESS_COOKIE = "access";
    public static final String REFRESH_COOKIE = "refresh_token";
    public static final String VIA = "auth";

    @Inject
    JwtCodec jwt;

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
        return Uni.createFrom().item(jwt.decode(token, "access").map(claims -> {
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(Long.toString(claims.userId())))
                    .addRole("user")
                    .addAttribute(VIA, carrier);
            if (claims.staff()) {
                identity.addRole("staff");
            }
            return (SecurityIdentity) identity.build();
        }).orElse(null));
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
