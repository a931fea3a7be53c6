package dev.stepbystep.web.auth;

import dev.stepbystep.shared.config.AppConfig;
import dev.stepbystep.web.errors.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;

/**
 * CSRF protection for cookie-authenticated writes: cookies are SameSite (Lax by default), and an
 * unsafe request carried by a cookie must come from {@code FRONTEND_URL}'s origin, as its Origin
 * (or, failing that, Referer) header says. Requests authenticated by a Bearer header carry no
 * ambient credential and need no check.
 */
@ApplicationScoped
public class CsrfGuard {

    private final String allowedOrigin;

    @Inject
    CsrfGuard(AppConfig config) {
        URI u = config.frontendUrl();
        this.allowedOrigin = origin(u.getScheme(), u.getHost(), u.getPort());
    }

    public void check(String origin, String referer) {
        check(origin, referer, allowedOrigin);
    }

    /** For pages web serves itself: the request must come from {@code base}'s origin (web's public URL, as the proxy says). */
    public void checkSameOrigin(String origin, String referer, URI base) {
        check(origin, referer, origin(base.getScheme(), base.getHost(), base.getPort()));
    }

    private static void check(String origin, String referer, String allowedOrigin) {
        String actual = origin;
        if ((actual == null || actual.isBlank() || "null".equals(actual)) && referer != null) {
            try {
                URI r = URI.create(referer);
                actual = origin(r.getScheme(), r.getHost(), r.getPort());
            } catch (IllegalArgumentException e) {
                actual = null;
            }
        }
        if (actual == null || !allowedOrigin.equalsIgnoreCase(stripDefaultPort(actual))) {
            throw ApiException.forbidden("cross-site request refused: a cookie-authenticated write must come from " + allowedOrigin);
        }
    }

    private static String origin(String scheme, String host, int port) {
        return stripDefaultPort(scheme + "://" + host + (port < 0 ? "" : ":" + port));
    }

    private static String stripDefaultPort(String origin) {
        return origin.replaceFirst("^(http://[^/]+):80$", "$1").replaceFirst("^(https://[^/]+):443$", "$1");
    }
}
