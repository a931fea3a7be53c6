package dev.stepbystep.web.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Set;

/** Applies {@link CsrfGuard} to every unsafe request that a cookie authenticated. */
public class CsrfFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    CsrfGuard guard;

    @Inject
    SecurityIdentity identity;

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        if (!SAFE.contains(request.getMethod()) && "cookie".equals(identity.getAttribute(TokenAuthMechanism.VIA))) {
            guard.check(request.getHeaderString("Origin"), request.getHeaderString("Referer"));
        }
    }
}
