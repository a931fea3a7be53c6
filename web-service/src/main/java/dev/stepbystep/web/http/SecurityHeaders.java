package dev.stepbystep.web.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Headers on every response: {@code X-Content-Type-Options: nosniff} (a browser never guesses a
 * type other than the one sent), and {@code Cache-Control: no-store} on responses that carry
 * tokens or set auth cookies, so no cache or shared proxy keeps a copy.
 */
@ApplicationScoped
public class SecurityHeaders {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
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
        });
    }
}
