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
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The live worker processes, as Flower, Sidekiq's Web UI and Bull Board show them: each worker
 * writes a heartbeat ({@link #heartbeat}, every {@link #INTERVAL}) to a hash that expires after
 * {@link #EXPIRY} and to a sorted set by time, and {@link #live} reads the ones heard from within
 * {@link #EXPIRY}: a worker that stopped (killed, frozen, cut off) is gone within a minute, and
 * one that stopped cleanly at once ({@link #leave}). Costs O(workers), never O(jobs).
 */
@ApplicationScoped
public class WorkerRegistry {

    public static final Duration INTERVAL = Duration.ofSeconds(10);
    public static final Duration EXPIRY = Duration.ofSeconds(45);

    /** One worker process as it last reported. */
    public record WorkerInfo(String id, String host, String version, List<String> queues, int concurrency,
                             int inFlight, Instant startedAt, Instant lastHeartbeat) {
    }

    @Inject
    Redis redis;

    @Inject
    QueueConfig config;

    private KeySchema keys() {
        return new KeySchema(config.prefix());
    }

    /** Records {@code worker} as alive now (one pipelined round trip). */
    public void heartbeat(WorkerInfo worker) {
        long now = System.currentTimeMillis();
        String key = keys().worker(worker.id());
        JobQueue.call("worker heartbeat", () -> redis.batch(List.of(
                Request.cmd(Command.HSET).arg(key).arg("id").arg(worker.id()).arg("host").arg(worker.host())
                        .arg("version").arg(worker.version()).arg("queues").arg(String.join(",", worker.queues()))
                        .arg("concurrency").arg(worker.concurrency()).arg("in_flight").arg(worker.inFlight())
                        .arg("started_at").arg(worker.startedAt().toEpochMilli()).arg("last_heartbeat").arg(now),
                Request.cmd(Command.PEXPIRE).arg(key).arg(EXPIRY.toMillis()),
                Request.cmd(Command.ZADD).arg(keys().workers()).arg(now).arg(worker.id())))
                .await().atMost(config.redisTimeout()));
    }

    /** Removes a worker that stops cleanly. */
    public void leave(String workerId) {
        JobQueue.call("worker leave", () -> redis.batch(List.of(
                Request.cmd(Command.ZREM).arg(keys().workers()).arg(workerId),
                Request.cmd(Command.DEL).arg(keys().worker(workerId)))).await().atMost(config.redisTimeout()));
    }

    /** The workers heard from within {@link #EXPIRY}, by id; forgets the others. */
    public List<WorkerInfo> live() {
        long since = System.currentTimeMillis() - EXPIRY.toMillis();
        List<Response> r = JobQueue.call("workers", () -> redis.batch(List.of(
                Request.cmd(Command.ZREMRANGEBYSCORE).arg(keys().workers()).arg("-inf").arg("(" + since),
                Request.cmd(Command.ZRANGE).arg(keys().workers()).arg(0).arg(-1))).await().atMost(config.redisTimeout()));
        List<String> ids = new ArrayList<>();
        r.get(1).forEach(id -> ids.add(id.toString()));
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Request> reads = ids.stream().map(id -> Request.cmd(Command.HGETALL).arg(keys().worker(id))).toList();
        List<Response> hashes = JobQueue.call("workers", () -> redis.batch(reads).await().atMost(config.redisTimeout()));
        List<WorkerInfo> live = new ArrayList<>();
        for (Response h : hashes) {
            Map<String, String> f = RedisResponses.hash(h);
            if (f.get("id") == null) {
                continue; // expired between the two reads
            }
            try {
                live.add(new WorkerInfo(f.get("id"), f.getOrDefault("host", ""), f.getOrDefault("version", ""),
                        f.getOrDefault("queues", "").isEmpty() ? List.of() : Arrays.asList(f.get("queues").split(",")),
                        Integer.parseInt(f.getOrDefault("concurrency", "0")), Integer.parseInt(f.getOrDefault("in_flight", "0")),
                        Instant.ofEpochMilli(Long.parseLong(f.getOrDefault("started_at", "0"))),
                        Instant.ofEpochMilli(Long.parseLong(f.getOrDefault("last_heartbeat", "0")))));
            } catch (NumberFormatException e) {
                // a hash not written by heartbeat(): not a worker's
            }
        }
        return live;
    }
}
