package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.RedisResponses;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A queue's last hour, minute by minute: jobs done and failed, and how long they waited between
 * being ready and starting (p50, p95), for the operators' charts. Workers count in memory
 * ({@link Tally}) and add their counts to one small hash per queue and minute every second
 * ({@link #flush}); each hash expires after {@link #KEEP}. Reading an hour is {@value #MINUTES}
 * hash reads per queue in one round trip: bounded, whatever the backlog or the throughput. Wait
 * times are counted in fixed bins ({@link #WAIT_BOUNDS_MS}), so percentiles are bin upper bounds.
 */
@ApplicationScoped
public class QueueHistory {

    public static final int MINUTES = 60;
    public static final Duration KEEP = Duration.ofMinutes(MINUTES + 5);
    /** Bin i counts waits under WAIT_BOUNDS_MS[i] (and at least the bound before); the last bin the rest. */
    public static final long[] WAIT_BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000};

    /** One minute of a queue; the percentiles are -1 when nothing started in it. */
    public record Minute(Instant minute, long done, long failed, long waitP50Ms, long waitP95Ms) {
    }

    /** A worker's counts since its last flush, by queue and minute. Thread-safe. */
    public static final class Tally {
        private Map<String, long[]> counts = new HashMap<>();

        /** One attempt that ended ({@code ok}: succeeded; otherwise it failed), after waiting {@code waitMs} to start. */
        public synchronized void record(String queue, long minute, boolean ok, long waitMs) {
            long[] c = counts.computeIfAbsent(queue + '\n' + minute, k -> new long[2 + WAIT_BOUNDS_MS.length + 1]);
            c[ok ? 0 : 1]++;
            c[2 + bin(waitMs)]++;
        }

        synchronized Map<String, long[]> drain() {
            Map<String, long[]> out = counts;
            counts = new HashMap<>();
            return out;
        }
    }

    @Inject
    Redis redis;

    @Inject
    QueueConfig config;

    static int bin(long waitMs) {
        for (int i = 0; i < WAIT_BOUNDS_MS.length; i++) {
            if (waitMs < WAIT_BOUNDS_MS[i]) {
                return i;
            }
        }
        return WAIT_BOUNDS_MS.length;
    }

    public static long minuteOf(long epochMs) {
        return epochMs / 60_000;
    }

    private KeySchema keys() {
        return new KeySchema(config.prefix());
    }

    /** Adds the tally's counts to Redis (one round trip) and empties it; counts are kept when Redis fails. */
    public void flush(Tally tally) {
        Map<String, long[]> counts = tally.drain();
        if (counts.isEmpty()) {
            return;
        }
        List<Request> writes = new ArrayList<>();
        counts.forEach((queueAndMinute, c) -> {
            int cut = queueAndMinute.indexOf('\n');
            String key = keys().queueMinute(queueAndMinute.substring(0, cut), Long.parseLong(queueAndMinute.substring(cut + 1)));
            add(writes, key, "done", c[0]);
            add(writes, key, "failed", c[1]);
            for (int i = 2; i < c.length; i++) {
                add(writes, key, "w" + (i - 2), c[i]);
            }
            writes.add(Request.cmd(Command.PEXPIRE).arg(key).arg(KEEP.toMillis()));
        });
        try {
            JobQueue.call("queue history", () -> redis.batch(writes).await().atMost(config.redisTimeout()));
        } catch (RuntimeException e) {
            counts.forEach((queueAndMinute, c) -> {
                synchronized (tally) {
                    tally.counts.merge(queueAndMinute, c, (a, b) -> {
                        for (int i = 0; i < a.length; i++) {
                            a[i] += b[i];
                        }
                        return a;
                    });
                }
            });
            throw e;
        }
    }

    private static void add(List<Request> writes, String key, String field, long n) {
        if (n != 0) {
            writes.add(Request.cmd(Command.HINCRBY).arg(key).arg(field).arg(n));
        }
    }

    /** The queue's last {@value #MINUTES} minutes, oldest first, the current (partial) minute last. */
    public List<Minute> lastHour(String queue) {
        KeySchema.checkQueue(queue);
        long now = minuteOf(System.currentTimeMillis());
        List<Request> reads = new ArrayList<>();
        for (long m = now - MINUTES + 1; m <= now; m++) {
            reads.add(Request.cmd(Command.HGETALL).arg(keys().queueMinute(queue, m)));
        }
        List<Response> hashes = JobQueue.call("queue history", () -> redis.batch(reads).await().atMost(config.redisTimeout()));
        List<Minute> minutes = new ArrayList<>(MINUTES);
        for (int i = 0; i < hashes.size(); i++) {
            Map<String, String> h = RedisResponses.hash(hashes.get(i));
            long[] bins = new long[WAIT_BOUNDS_MS.length + 1];
            long started = 0;
            for (int b = 0; b < bins.length; b++) {
                bins[b] = parse(h.get("w" + b));
                started += bins[b];
            }
            minutes.add(new Minute(Instant.ofEpochMilli((now - MINUTES + 1 + i) * 60_000), parse(h.get("done")),
                    parse(h.get("failed")), percentile(bins, started, 0.50), percentile(bins, started, 0.95)));
        }
        return minutes;
    }

    private static long parse(String n) {
        try {
            return n == null ? 0 : Long.parseLong(n);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The upper bound of the bin holding the {@code q} quantile (the last bin: its lower bound); -1 when empty. */
    static long percentile(long[] bins, long total, double q) {
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < bins.length; b++) {
            seen += bins[b];
            if (seen >= rank) {
                return b < WAIT_BOUNDS_MS.length ? WAIT_BOUNDS_MS[b] : WAIT_BOUNDS_MS[WAIT_BOUNDS_MS.length - 1];
            }
        }
        return WAIT_BOUNDS_MS[WAIT_BOUNDS_MS.length - 1];
    }
}
