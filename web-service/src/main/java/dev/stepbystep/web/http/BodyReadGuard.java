package dev.stepbystep.web.http;

import dev.stepbystep.web.WebConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Slow clients cost a connection, never a thread. A request body is received on the event loop,
 * which waits for many connections at once, before the request reaches a worker thread; a body
 * not received in full within {@code WEB_BODY_TIMEOUT} (default 10 s) ends the exchange with 408
 * and closes the connection. Without this, a body trickled a byte at a time held a worker thread
 * for as long as the client liked, and 200 such clients stopped the service (health checks
 * included). Bodies that Quarkus REST itself reads on the event loop before
 * the endpoint runs get the deadline only: multipart bodies (its form parser), and those of the
 * JSON post create routes, whose endpoints are non-blocking ({@code Uni}); reading those a
 * second way here cost a sixth of the create throughput ({@code bench/http/run},
 * docs/benchmarks.md, 2026-12-02). {@code SlowClientsTest} trickles bodies to both kinds.
 */
@ApplicationScoped
public class BodyReadGuard {

    @Inject
    WebConfig config;

    void install(@Observes Filters filters) {
        // WEB_MAX_BODY_SIZE: the largest body that is not a multipart form. Multipart forms (a post
        // with its image) may be larger, up to quarkus.http.limits.max-body-size (WEB_MAX_REQUEST_SIZE),
        // which Quarkus enforces for every request.
        io.quarkus.runtime.configuration.MemorySize maxBodySize = config.maxBodySize();
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue()).setDeleteUploadedFilesOnEnd(true);
        // A filter runs before every route (auth, REST): nothing starts work on a half-received request.
        filters.register(ctx -> guard(ctx, bodies, maxBodySize.asLongValue()), 200);
    }

    private void guard(RoutingContext ctx, BodyHandler bodies, long maxJson) {
        HttpServerRequest request = ctx.request();
        if (!hasBody(request)) {
            ctx.next();
            return;
        }
        long timeoutMs = config.bodyTimeout().toMillis();
        long timer = ctx.vertx().setTimer(timeoutMs, id -> tooSlow(ctx));
        ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
        String type = request.getHeader(HttpHeaderNames.CONTENT_TYPE);
        if (readOnEventLoop(request, type, maxJson)) {
            ctx.next();
        } else {
            bodies.handle(ctx); // reads the whole body here, then calls ctx.next()
        }
    }

    /** Paths of the non-blocking JSON create endpoints ({@code PostRoutes.create}, {@code FbvPostResource.createNew}). */
    static final java.util.Set<String> NON_BLOCKING_JSON_POSTS = java.util.Set.of(
            "/api/posts/", "/api/drf/cbv/posts/", "/api/drf/fbv/posts/new/");

    /**
     * Whether Quarkus REST reads this request's body on the event loop, before a worker thread is
     * taken. A JSON body goes that way only with a Content-Length within {@code maxJson}; a chunked
     * or larger one is read here, where {@code WEB_MAX_BODY_SIZE} is enforced (413).
     */
    static boolean readOnEventLoop(HttpServerRequest request, String type, long maxJson) {
        if (type == null) {
            return false;
        }
        if (type.regionMatches(true, 0, "multipart/", 0, 10)) {
            return true;
        }
        return request.method() == io.vertx.core.http.HttpMethod.POST && type.regionMatches(true, 0, "application/json", 0, 16)
                && NON_BLOCKING_JSON_POSTS.contains(request.path()) && declaredLength(request) <= maxJson;
    }

    /** The Content-Length, or MAX_VALUE when there is none or it is not a number. */
    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null || length.isEmpty() || length.length() > 18 || !length.chars().allMatch(Character::isDigit)) {
            return Long.MAX_VALUE;
        }
        return Long.parseLong(length);
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        return (length != null && !length.equals("0")) || request.getHeader(HttpHeaderNames.TRANSFER_ENCODING) != null;
    }

    private void tooSlow(RoutingContext ctx) {
        if (ctx.request().isEnded() || ctx.response().ended()) {
            return; // received in time; the response is under way
        }
        Log.debugf("request body of %s %s not received within %s: 408, connection closed", ctx.request().method(),
                ctx.normalizedPath(), config.bodyTimeout());
        if (!ctx.response().headWritten()) {
            ctx.response().setStatusCode(408).putHeader(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                    .putHeader(HttpHeaderNames.CONNECTION, "close")
                    .end("{\"type\":\"about:blank\",\"title\":\"Request Timeout\",\"status\":408,"
                            + "\"detail\":\"the request body did not arrive in time\"}");
        }
        ctx.request().connection().close();
    }
}
