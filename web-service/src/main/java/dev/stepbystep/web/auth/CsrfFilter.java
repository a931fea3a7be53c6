package dev.stepbystep.web.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Set;

/**
 * Applies {@link CsrfGuard} to every unsafe request that a cookie authenticated, and to every
 * unsafe request of the operations console ({@code /ops/}, served by web itself), which must come
 * from web's own origin whoever sends it: its login form too, and a refresh cookie can stand in for
 * an expired access cookie there.
 */
public class CsrfFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    CsrfGuard guard;

    @Inject
    SecurityIdentity identity;

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod())) {
            return;
        }
        String path = request.getUriInfo().getPath();
        if (path.equals("/ops") || path.startsWith("/ops/")) {
            guard.checkSameOrigin(request.getHeaderString("Origin"), request.getHeaderString("Referer"), request.getUriInfo().getBaseUri());
        } else if ("cookie".equals(identity.getAttribute(TokenAuthMechanism.VIA))) {
            guard.check(request.getHeaderString("Origin"), request.getHeaderString("Referer"));
        }
    }
}
