package dev.stepbystep.web.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Headers on every response: {@code X-Content-Type-Options: nosniff} (a browser never guesses a
 * type other than the one sent), and {@code Cache-Control: no-store} on responses that carry
 * tokens or set auth cookies, so no cache or shared proxy keeps a copy.
 */
@ApplicationScoped
public class SecurityHeaders {

    void install(@Observes Filters filters) {
        filters.register(ctx -> {
            String path = ctx.normalizedPath();
            boolean credentials = path.startsWith("/api/token/") || path.startsWith("/api/auth/jwt/") || path.startsWith("/api/activate/");
            ctx.addHeadersEndHandler(v -> {
                var headers = ctx.response().headers();
                headers.set("X-Content-Type-Options", "nosniff");
                if (credentials) {
                    headers.set("Cache-Control", "no-store");
                }
            });
            ctx.next();
        }, 400); // first of the filters: every response gets the headers, refusals included
    }
}
