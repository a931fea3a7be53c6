package dev.stepbystep.jobs;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;

/**
 * Runs the queue's Lua scripts ({@code job-queue/src/main/resources/jobs/*.lua}, fragments from
 * {@code jobs/lib/}) through {@link LuaScript}, waiting at most the configured Redis timeout.
 */
@ApplicationScoped
public class RedisScripts {

    public enum Script {
        ENQUEUE, ENQUEUE_BULK, START, MARK, FINISH, RENEW, PROMOTE, RETRY_DEAD, PURGE_DEAD, CANCEL;

        private final LuaScript lua = LuaScript.resource("jobs/" + name().toLowerCase() + ".lua");

        /** The script, e.g. for EVALSHA on a connection of one's own ({@link LuaScript#evalshaWords}). */
        public LuaScript lua() {
            return lua;
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
        return script.lua.run(redis, keys, args).await().atMost(timeout);
    }

    /** Runs {@code script} once per (keys, args) pair, pipelined in one batch; fails when any run fails. */
    public List<Response> runAll(Script script, List<List<String>> keys, List<List<String>> args) {
        return script.lua.runAll(redis, keys, args).await().atMost(config.redisTimeout());
    }

    /** {@link #runAll} without waiting: the answers arrive on the Redis client's event loop. */
    public Uni<List<Response>> runAllAsync(Script script, List<List<String>> keys, List<List<String>> args) {
        return script.lua.runAll(redis, keys, args).ifNoItem().after(config.redisTimeout()).fail();
    }

    /** Runs {@code script} without waiting: the answer arrives on the Redis client's event loop. */
    public Uni<Response> runAsync(Script script, List<String> keys, List<String> args) {
        return script.lua.run(redis, keys, args).ifNoItem().after(config.redisTimeout()).fail();
    }
}
