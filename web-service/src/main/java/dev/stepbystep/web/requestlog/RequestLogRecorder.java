package dev.stepbystep.web.requestlog;

import dev.stepbystep.web.auth.ClientAddress;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records every request except health checks and metrics in {@code request_log}, without a
 * database round trip on the request path: entries go to a bounded in-memory queue, and one
 * thread inserts them in JDBC batches. If the database falls behind, entries beyond the queue's
 * capacity are dropped and counted (logging must never slow the API down or run it out of memory).
 */
@ApplicationScoped
public class RequestLogRecorder {

    private static final int CAPACITY = 50_000;
    private static final int BATCH = 1_000;

    record Entry(Long userId, Instant date, String path, String fullPath, String method, int status, int millis, String address) {
    }

    @Inject
    AgroalDataSource db;

    @Inject
    ClientAddress clientAddress;

    private final BlockingQueue<Entry> pending = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;
    private Thread writer;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "web.request-log.enabled", defaultValue = "true")
    boolean enabled;

    /**
     * Installed as a Quarkus HTTP filter (run by the main route's handler) rather than as a
     * Vert.x route of its own: an extra catch-all route measurably slowed every request.
     */
    void install(@Observes Filters filters) {
        if (!enabled) {
            return;
        }
        filters.register(this::record, 100);
        writer = Thread.ofPlatform().daemon().name("request-log-writer").start(this::writeLoop);
    }

    private void record(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.startsWith("/q/") || path.equals("/api/health-check/") || path.startsWith("/api/swagger-ui")) {
            ctx.next();
            return;
        }
        long start = System.nanoTime();
        ctx.addBodyEndHandler(v -> {
            Long userId = null;
            if (ctx.user() instanceof QuarkusHttpUser user && !user.getSecurityIdentity().isAnonymous()) {
                try {
                    userId = Long.valueOf(user.getSecurityIdentity().getPrincipal().getName());
                } catch (NumberFormatException ignored) {
                    // not one of our users
                }
            }
            String uri = ctx.request().uri();
            String logged = path;
            if (path.startsWith("/api/activate/")) {
                // An activation link is a credential for three days: log the route, not the token.
                logged = "/api/activate/{uidb64}/{token}/";
                uri = logged;
            }
            Entry e = new Entry(userId, Instant.now(), truncate(logged, 2000), truncate(uri, 4000), ctx.request().method().name(),
                    ctx.response().getStatusCode(), (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000_000),
                    truncate(clientAddress.of(ctx.request()), 64));
            if (!pending.offer(e)) {
                dropped.incrementAndGet();
            }
        });
        ctx.next();
    }

    private void writeLoop() {
        List<Entry> batch = new ArrayList<>(BATCH);
        while (running || !pending.isEmpty()) {
            try {
                Entry first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, BATCH - 1);
                insert(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                dropped.addAndGet(batch.size());
                Log.warnf("request log: %d entries not written: %s", batch.size(), e.getMessage());
            } finally {
                batch.clear();
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                Log.warnf("request log: %d entries dropped (database too slow or unavailable)", lost);
            }
        }
    }

    /**
     * Writes a batch with one COPY: for an append-only table that takes thousands of rows a
     * second, several times cheaper for PostgreSQL than INSERTs.
     */
    private void insert(List<Entry> batch) throws SQLException {
        StringBuilder csv = new StringBuilder(batch.size() * 128);
        for (Entry e : batch) {
            csv.append(e.userId() == null ? "" : e.userId().toString()).append(',')
                    .append(e.date()).append(',');
            quote(csv, e.path()).append(',');
            quote(csv, e.fullPath()).append(',');
            quote(csv, e.method()).append(',')
                    .append(e.status()).append(',')
                    .append(e.millis()).append(',');
            (e.address() == null ? csv : quote(csv, e.address())).append('\n');
        }
        try (Connection c = db.getConnection()) {
            c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(
                    "copy request_log (user_id, date, path, full_path, method, status_code, execution_time_ms, remote_address)"
                            + " from stdin with (format csv)", new java.io.StringReader(csv.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException("copy into request_log failed", e);
        }
    }

    private static StringBuilder quote(StringBuilder csv, String value) {
        return csv.append('"').append(value.replace("\"", "\"\"")).append('"');
    }

    /** Flushes what is pending before the datasource closes. */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (writer != null) {
            try {
                writer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
