package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.RedisScripts;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dead-letter queue of each queue, for operators (web's staff endpoints): list, retry one or
 * all with a fresh attempt budget, purge. Each change is one Lua script run in batches of
 * {@value #BATCH}, so a crash in between loses or duplicates nothing. Redis failures surface as
 * {@link dev.stepbystep.jobs.QueueUnavailableException}.
 */
@ApplicationScoped
public class DeadLetters {

    private static final int BATCH = 1000;

    @Inject
    JobQueue jobs;

    @Inject
    RedisScripts scripts;

    @Inject
    Redis redis;

    @Inject
    QueueConfig config;

    private KeySchema keys;

    @PostConstruct
    void init() {
        keys = new KeySchema(config.prefix());
    }

    /** Dead jobs of a queue, newest first. */
    public List<JobStatus> list(String queue, int offset, int limit) {
        KeySchema.checkQueue(queue);
        Response ids = JobQueue.call("dead letters", () -> send(Request.cmd(Command.ZREVRANGE).arg(keys.dead(queue))
                .arg(offset).arg(offset + limit - 1)));
        List<JobStatus> dead = new ArrayList<>();
        for (Response id : ids) {
            jobs.status(id.toString()).ifPresent(dead::add);
        }
        return dead;
    }

    /** Puts one dead job back on its queue with a fresh attempt budget; false when it is not dead. */
    public boolean retry(String jobId) {
        Optional<JobStatus> job = jobs.status(jobId);
        if (job.isEmpty() || job.get().state() != JobState.DEAD) {
            return false;
        }
        String queue = job.get().queue();
        return JobQueue.call("retry dead", () -> scripts.run(RedisScripts.Script.RETRY_DEAD, List.of(keys.dead(queue), keys.stream(queue)),
                List.of(config.prefix(), queue, Long.toString(System.currentTimeMillis()), jobId, "1"))).toInteger() == 1;
    }

    /** Puts every dead job of a queue back; returns how many. */
    public long retryAll(String queue) {
        KeySchema.checkQueue(queue);
        long total = 0;
        int moved;
        do {
            moved = JobQueue.call("retry dead", () -> scripts.run(RedisScripts.Script.RETRY_DEAD, List.of(keys.dead(queue), keys.stream(queue)),
                    List.of(config.prefix(), queue, Long.toString(System.currentTimeMillis()), "*", Integer.toString(BATCH)))).toInteger();
            total += moved;
        } while (moved == BATCH);
        return total;
    }

    /** Deletes every dead job of a queue; returns how many. */
    public long purge(String queue) {
        KeySchema.checkQueue(queue);
        long total = 0;
        int removed;
        do {
            removed = JobQueue.call("purge dead", () -> scripts.run(RedisScripts.Script.PURGE_DEAD, List.of(keys.dead(queue)),
                    List.of(config.prefix(), queue, Integer.toString(BATCH)))).toInteger();
            total += removed;
        } while (removed == BATCH);
        return total;
    }

    private Response send(Request request) {
        return redis.send(request).await().atMost(config.redisTimeout());
    }
}
