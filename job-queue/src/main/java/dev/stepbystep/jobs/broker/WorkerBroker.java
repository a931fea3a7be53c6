package dev.stepbystep.jobs.broker;

import dev.stepbystep.jobs.LuaScript;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.RedisScripts;

import dev.stepbystep.jobs.KeySchema;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The worker's side of the queue, on Redis Streams with one consumer group ("workers") per
 * queue: a blocking read hands out jobs and records them as pending in one step, so a job is
 * never only in a worker's memory. A worker renews its lease on the entries it runs
 * ({@link #renew}); XAUTOCLAIM takes back those whose lease lapsed (their worker died).
 */
@ApplicationScoped
public class WorkerBroker {

    @Inject
    Redis redis;

    @Inject
    RedisScripts scripts;

    @Inject
    QueueConfig config;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String hosts;

    @ConfigProperty(name = "quarkus.redis.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.redis.password")
    Optional<String> password;

    private KeySchema keys() {
        return new KeySchema(config.prefix());
    }

    /** Creates the queue's stream and consumer group when missing. */
    public void ensureGroup(String queue) {
        try {
            send(Request.cmd(Command.XGROUP).arg("CREATE").arg(keys().stream(queue)).arg(KeySchema.GROUP).arg("0").arg("MKSTREAM"),
                    config.redisTimeout());
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /**
     * Opens a blocking connection for {@link #read}, to the first of {@code quarkus.redis.hosts}
     * with the same credentials, database and TLS choice as the Quarkus client.
     */
    public BlockingRedisConnection openReadConnection() throws IOException {
        return openReadConnection(false);
    }

    /** {@link #openReadConnection()}, {@code watched} as in {@link BlockingRedisConnection#open(RedisTarget, Duration, boolean)}. */
    public BlockingRedisConnection openReadConnection(boolean watched) throws IOException {
        return BlockingRedisConnection.open(readTarget(), config.redisTimeout(), watched);
    }

    /** Where {@link #openReadConnection} connects; refuses what a blocking connection cannot reach. */
    public RedisTarget readTarget() {
        String first = hosts.split(",")[0].trim();
        URI uri;
        try {
            uri = new URI(first);
        } catch (URISyntaxException e) {
            // Not e.getMessage(): it quotes the URI, password included.
            throw new IllegalArgumentException("quarkus.redis.hosts: not a URI (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        try {
            return RedisTarget.parse(uri, username, password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("quarkus.redis.hosts: " + e.getMessage());
        }
    }

    /**
     * Waits up to {@code block} for new jobs on any of {@code queues}, at most {@code count} per
     * queue, on a connection of the caller's (see {@link #openReadConnection}): the thread that
     * receives a job can run it without a hand-off. The entries become pending for
     * {@code consumer} in the same step.
     */
    public List<Delivery> read(BlockingRedisConnection connection, List<String> queues, String consumer, int count,
                               Duration block) throws IOException {
        List<String> args = new ArrayList<>(10 + 2 * queues.size());
        args.addAll(List.of("XREADGROUP", "GROUP", KeySchema.GROUP, consumer, "COUNT", Integer.toString(count),
                "BLOCK", Long.toString(block.toMillis()), "STREAMS"));
        queues.forEach(q -> args.add(keys().stream(q)));
        queues.forEach(q -> args.add(">"));
        Object reply = connection.call(block.plus(config.redisTimeout()), args);
        List<Delivery> out = new ArrayList<>();
        if (!(reply instanceof List<?> streams)) {
            return out; // nil: nothing arrived within the block time
        }
        for (Object s : streams) {
            if (s instanceof List<?> streamAndEntries && streamAndEntries.size() == 2
                    && streamAndEntries.get(0) instanceof String stream && streamAndEntries.get(1) instanceof List<?> entries) {
                String queue = queueOf(stream);
                for (Object e : entries) {
                    if (e instanceof List<?> entry && entry.size() == 2 && entry.get(0) instanceof String streamId
                            && entry.get(1) instanceof List<?> fields) {
                        Map<String, String> f = new HashMap<>();
                        for (int i = 0; i + 1 < fields.size(); i += 2) {
                            f.put(String.valueOf(fields.get(i)), fields.get(i + 1) instanceof String v ? v : null);
                        }
                        StreamReplies.entry(queue, streamId, f, true, out);
                    }
                    // an entry without fields was deleted meanwhile: nothing to run
                }
            }
        }
        return out;
    }

    /**
     * Renews this worker's lease on the stream entries of a queue that it is running; returns
     * those it no longer owns (another worker reclaimed them after the lease lapsed).
     */
    public List<String> renew(String queue, String consumer, List<String> streamIds) {
        List<String> args = new ArrayList<>(streamIds.size() + 1);
        args.add(consumer);
        args.addAll(streamIds);
        Response r = scripts.run(RedisScripts.Script.RENEW, List.of(keys().stream(queue)), args);
        List<String> lost = new ArrayList<>();
        if (r != null) {
            r.forEach(id -> lost.add(id.toString()));
        }
        return lost;
    }

    /** Takes over jobs pending longer than {@code minIdle}: their worker died, hung or was cut off past its lease. */
    public List<Delivery> reclaim(String queue, String consumer, Duration minIdle, int count) {
        Response r = send(Request.cmd(Command.XAUTOCLAIM).arg(keys().stream(queue)).arg(KeySchema.GROUP).arg(consumer)
                .arg(minIdle.toMillis()).arg("0-0").arg("COUNT").arg(count), config.redisTimeout());
        List<Delivery> out = new ArrayList<>();
        StreamReplies.entries(queue, r.get(1), false, out);
        return out;
    }

    /** Marks deliveries running; drops (and acknowledges) those whose job is gone or already final. */
    public List<StartedJob> start(String queue, String worker, List<Delivery> deliveries) {
        List<String> args = new ArrayList<>(List.of(config.prefix(), queue, Long.toString(System.currentTimeMillis()), worker));
        for (Delivery d : deliveries) {
            args.add(d.jobId());
            args.add(d.streamId());
        }
        Response r = scripts.run(RedisScripts.Script.START, List.of(), args);
        List<StartedJob> started = new ArrayList<>();
        for (Response row : r) {
            if ("run".equals(row.get(2).toString())) {
                started.add(new StartedJob(queue, row.get(1).toString(), row.get(0).toString(), row.get(3).toInteger(),
                        StreamReplies.str(row.get(4)), StreamReplies.str(row.get(5)), StreamReplies.parseInt(row.get(6)),
                        StreamReplies.parseLong(row.get(7)), StreamReplies.parseLong(row.get(8)),
                        row.size() > 9 ? StreamReplies.str(row.get(9)) : null));
            }
        }
        return started;
    }

    /**
     * Marks fresh deliveries, already started from their entries' data, running; the answer is
     * the ids of those dropped because their job is gone or already final.
     */
    public Uni<List<String>> mark(String queue, String worker, List<StartedJob> jobs) {
        return scripts.runAsync(RedisScripts.Script.MARK, List.of(), markArgs(queue, worker, jobs)).map(r -> {
            List<String> dropped = new ArrayList<>();
            if (r != null) {
                r.forEach(id -> dropped.add(id.toString()));
            }
            return dropped;
        });
    }

    /**
     * {@link #mark} pipelined on a read connection: sent now, its reply read before the next
     * read's. {@code callback} gets the dropped ids, or null when the reply is an error or lost
     * (then the marks are not known to have happened). A Redis that lost its scripts (restarted)
     * answers NOSCRIPT; then the marking goes through {@link #mark}, which loads the script.
     */
    public void mark(BlockingRedisConnection connection, String queue, String worker, List<StartedJob> jobs,
                     Consumer<List<String>> callback) throws IOException {
        List<String> command = RedisScripts.Script.MARK.lua().evalshaWords(List.of(), markArgs(queue, worker, jobs));
        connection.send(command, new BlockingRedisConnection.Callback() {
            @Override
            public void reply(Object reply) {
                if (reply instanceof List<?> ids) {
                    callback.accept(ids.stream().map(String::valueOf).toList());
                } else if (reply instanceof BlockingRedisConnection.ErrorReply e && LuaScript.isNoScript(e)) {
                    mark(queue, worker, jobs).subscribe().with(callback, failure -> callback.accept(null));
                } else {
                    callback.accept(null);
                }
            }

            @Override
            public void failed(IOException failure) {
                callback.accept(null);
            }
        });
    }

    private List<String> markArgs(String queue, String worker, List<StartedJob> jobs) {
        List<String> args = new ArrayList<>(3 * jobs.size() + 4);
        args.addAll(List.of(config.prefix(), queue, Long.toString(System.currentTimeMillis()), worker));
        for (StartedJob j : jobs) {
            args.add(j.jobId());
            args.add(j.streamId());
            args.add(Integer.toString(j.attempt()));
        }
        return args;
    }

    /** Records outcomes (all of one queue) in one atomic step per job; returns how many applied. */
    public int finish(String queue, List<Outcome> outcomes) {
        List<String> args = new ArrayList<>(List.of(config.prefix(), queue, Long.toString(System.currentTimeMillis()),
                Long.toString(Math.max(1, config.resultTtl().toSeconds()))));
        for (Outcome o : outcomes) {
            args.add(o.job().jobId());
            args.add(o.job().streamId());
            args.add(Integer.toString(o.job().attempt()));
            args.add(o.kind().wire());
            args.add(o.data() == null ? "" : o.data());
            args.add(Long.toString(o.retryAtMs()));
        }
        return scripts.run(RedisScripts.Script.FINISH, List.of(), args).toInteger();
    }

    /** Moves due delayed jobs onto the queue; returns when the next one is due (epoch ms), or -1. */
    public long promote(String queue, int limit) {
        Response r = scripts.run(RedisScripts.Script.PROMOTE, List.of(),
                List.of(config.prefix(), queue, Long.toString(System.currentTimeMillis()), Integer.toString(limit)));
        return r.get(1).toLong();
    }

    private Response send(Request request, Duration timeout) {
        return redis.send(request).await().atMost(timeout);
    }

    private String queueOf(String stream) {
        return stream.substring(keys().stream("").length());
    }
}
