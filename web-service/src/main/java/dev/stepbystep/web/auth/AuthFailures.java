package dev.stepbystep.web.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The answer to a request whose Bearer token is invalid, expired or forged, which fails before
 * any REST code runs: 401 as problem+json, with the RFC 6750 challenge.
 */
@ApplicationScoped
public class AuthFailures {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 20).failureHandler(ctx -> {
            if (ctx.failure() instanceof AuthenticationFailedException && !ctx.response().headWritten()) {
                ctx.response().setStatusCode(401).putHeader("Content-Type", "application/problem+json")
                        .putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                        .end("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                                + "\"detail\":\"the Bearer token is invalid or expired\"}");
            } else {
                ctx.next();
            }
        });
    }
}
