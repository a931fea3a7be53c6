package dev.stepbystep.jobs;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the queue's Lua scripts ({@code job-queue/src/main/resources/jobs/*.lua}) by SHA, sending the source
 * only when Redis does not have it (first use, or after a Redis restart).
 */
@ApplicationScoped
public class RedisScripts {

    public enum Script {
        ENQUEUE, START, MARK, FINISH, RENEW, PROMOTE, RETRY_DEAD, PURGE_DEAD;

        final String source = load("jobs/" + name().toLowerCase() + ".lua");
        final String sha = sha1(source);

        /** The script's SHA-1, for EVALSHA on a connection of one's own. */
        public String sha() {
            return sha;
        }
    }

    @Inject
    Redis redis;

    @Inject
    QueueConfig config;

    /** Runs {@code script} and waits for its answer, at most the configured Redis timeout. */
    public Response run(Script script, List<String> keys, List<String> args) {
        return run(script, keys, args, config.redisTimeout());
    }

    public Response run(Script script, List<String> keys, List<String> args, Duration timeout) {
        try {
            return redis.send(request(Command.EVALSHA, script.sha, keys, args)).await().atMost(timeout);
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
                return redis.send(request(Command.EVAL, script.source, keys, args)).await().atMost(timeout);
            }
            throw e;
        }
    }

    /** Runs {@code script} once per (keys, args) pair, pipelined in one batch; fails when any run fails. */
    public List<Response> runAll(Script script, List<List<String>> keys, List<List<String>> args) {
        try {
            return redis.batch(requests(Command.EVALSHA, script.sha, keys, args)).await().atMost(config.redisTimeout());
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
                return redis.batch(requests(Command.EVAL, script.source, keys, args)).await().atMost(config.redisTimeout());
            }
            throw e;
        }
    }

    private static List<Request> requests(Command command, String script, List<List<String>> keys, List<List<String>> args) {
        List<Request> requests = new java.util.ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            requests.add(request(command, script, keys.get(i), args.get(i)));
        }
        return requests;
    }

    /** Runs {@code script} without waiting: the answer arrives on the Redis client's event loop. */
    public Uni<Response> runAsync(Script script, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, script.sha, keys, args))
                .onFailure(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.send(request(Command.EVAL, script.source, keys, args)))
                .ifNoItem().after(config.redisTimeout()).fail();
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();

    private static String load(String path) {
        return SOURCES.computeIfAbsent(path, p -> {
            try (InputStream in = RedisScripts.class.getClassLoader().getResourceAsStream(p)) {
                if (in == null) {
                    throw new IllegalStateException("missing queue script " + p);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
