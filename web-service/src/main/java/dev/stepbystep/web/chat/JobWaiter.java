package dev.stepbystep.web.chat;

import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.client.JobState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/**
 * Waits for a job to end without holding a thread: the job's state is read from Redis (one
 * {@code HGET}, non-blocking), and between reads a timer runs, starting at 5 ms and doubling up
 * to 200 ms, so a quick job is seen within a few milliseconds and a slow one costs five reads a
 * second. Polling rather than a notification keeps the guarantee simple: there is nothing to
 * miss, whichever web replica waits and whenever the worker finishes.
 */
@ApplicationScoped
public class JobWaiter {

    private static final long FIRST_DELAY_MS = 5;
    private static final long MAX_DELAY_MS = 200;

    @Inject
    Redis redis;

    @Inject
    QueueConfig config;

    /** Completes with true once the job succeeded or is dead, false when {@code within} passed first. */
    public Uni<Boolean> ended(String jobId, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        return poll(config.keys().job(jobId), deadline, FIRST_DELAY_MS);
    }

    private Uni<Boolean> poll(String key, long deadline, long delayMs) {
        return state(key).flatMap(state -> {
            if (state != null && state.isFinal()) {
                return Uni.createFrom().item(true);
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return Uni.createFrom().item(false);
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(Math.min(delayMs, left)))
                    .flatMap(x -> poll(key, deadline, Math.min(delayMs * 2, MAX_DELAY_MS)));
        });
    }

    /** The job's state, or null when Redis does not have the job yet (still in the outbox) or cannot be reached. */
    private Uni<JobState> state(String key) {
        return redis.send(Request.cmd(Command.HGET).arg(key).arg("state"))
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(r -> r == null ? null : JobState.fromWire(r.toString()))
                .onFailure().recoverWithNull();
    }
}
