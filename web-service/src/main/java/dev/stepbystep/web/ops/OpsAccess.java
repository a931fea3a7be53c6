package dev.stepbystep.web.ops;

import dev.stepbystep.web.accounts.Viewer;
import dev.stepbystep.web.auth.AuthCookies;
import dev.stepbystep.web.auth.AuthService;
import dev.stepbystep.web.auth.JwtCodec;
import dev.stepbystep.web.auth.TokenAuthMechanism;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Who may use the operations console: staff, logged in with the API's cookies. An anonymous
 * visitor is sent to the login form; a user who is not staff gets 403. A page left open outlives
 * the five-minute access cookie, so a valid refresh cookie gets a new access cookie on the next
 * page or refresh, as the seed's SPA gets one from the refresh endpoint.
 */
@ApplicationScoped
public class OpsAccess {

    /** Where a login may send the browser back to: a console page, never another site. */
    private static final Pattern NEXT = Pattern.compile("/ops/[A-Za-z0-9/_.?=&%-]{0,500}");

    @Inject
    SecurityIdentity identity;

    @Inject
    AuthService auth;

    @Inject
    JwtCodec jwt;

    @Inject
    AuthCookies cookies;

    @Inject
    @Location("ops/forbidden")
    Template forbidden;

    /** A staff session, or {@link #denied()} to answer instead. {@code refreshed}: a new access cookie to set. */
    public record Session(Viewer viewer, NewCookie refreshed, Response denied) {

        /** A console page: HTML that no cache keeps, no other site frames, and that runs only our own scripts. */
        public Response page(TemplateInstance page) {
            return page(Response.ok(page.render()));
        }

        public Response page(Response.ResponseBuilder response) {
            response.type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
            return headers(response).build();
        }

        public Response.ResponseBuilder headers(Response.ResponseBuilder response) {
            if (refreshed != null) {
                response.cookie(refreshed);
            }
            return secure(response);
        }
    }

    static Response.ResponseBuilder secure(Response.ResponseBuilder response) {
        return response.header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "same-origin");
    }

    /** Answers with {@code page} for staff, and with the login redirect or the 403 page for everyone else. */
    public Response serve(HttpHeaders headers, UriInfo uri, java.util.function.Function<Session, Response> page) {
        Session session = session(headers, uri);
        return session.denied() != null ? session.denied() : page.apply(session);
    }

    public Session session(HttpHeaders headers, UriInfo uri) {
        Viewer viewer = Viewer.of(identity);
        NewCookie refreshed = null;
        if (!viewer.authenticated()) {
            Cookie refresh = headers.getCookies().get(TokenAuthMechanism.REFRESH_COOKIE);
            var access = refresh == null || refresh.getValue().isEmpty() ? java.util.Optional.<String>empty() : auth.refreshAccess(refresh.getValue());
            var claims = access.flatMap(token -> jwt.decode(token, "access"));
            if (claims.isEmpty()) {
                return new Session(Viewer.ANONYMOUS, null, secure(Response.seeOther(URI.create("/ops/login?next="
                        + URLEncoder.encode(next(uri), StandardCharsets.UTF_8)))).build());
            }
            viewer = new Viewer(claims.get().userId(), claims.get().staff());
            refreshed = cookies.access(access.get());
        }
        if (!viewer.staff()) {
            Response.ResponseBuilder refusal = Response.status(403).entity(forbidden.data("userId", viewer.userId()).render())
                    .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
            return new Session(viewer, null, (refreshed == null ? secure(refusal) : secure(refusal.cookie(refreshed))).build());
        }
        return new Session(viewer, refreshed, null);
    }

    private static String next(UriInfo uri) {
        String path = uri.getRequestUri().getRawPath();
        String query = uri.getRequestUri().getRawQuery();
        return safeNext(query == null ? path : path + "?" + query);
    }

    /** {@code next} if it is a console page; the overview otherwise. */
    public static String safeNext(String next) {
        return next != null && NEXT.matcher(next).matches() && !next.contains("..") && !next.startsWith("/ops/login") ? next : "/ops/";
    }
}
