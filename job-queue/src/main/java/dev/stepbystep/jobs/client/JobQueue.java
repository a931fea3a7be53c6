package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.InvalidJobException;
import dev.stepbystep.jobs.PayloadCodec;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.QueueUnavailableException;
import dev.stepbystep.jobs.RedisResponses;
import dev.stepbystep.jobs.RedisScripts;
import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.jobs.TraceContext;

import dev.stepbystep.jobs.KeySchema;
import io.quarkus.logging.Log;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The queue client for producers and operators: enqueue (one, many, or without waiting), job
 * status and queue statistics; the dead-letter queue is {@link DeadLetters}. Every change is one Lua script, so a crash between two Redis commands
 * cannot lose or duplicate a job. Redis failures surface as {@link QueueUnavailableException}.
 */
@ApplicationScoped
public class JobQueue {

    /** Jobs per pipelined batch of a bulk enqueue (each waits at most the Redis timeout), and batches in flight. */
    static final int BULK_WINDOW = 2_000;
    static final int BULK_WINDOWS_IN_FLIGHT = 3;

    @Inject
    RedisScripts scripts;

    @Inject
    Redis redis;

    @Inject
    QueueConfig config;

    @Inject
    PayloadCodec payloads;

    @Inject
    JobOutbox outbox;

    private KeySchema keys;
    private volatile EnqueueBatcher batcher;

    KeySchema keys() {
        if (keys == null) {
            keys = new KeySchema(config.prefix());
        }
        return keys;
    }

    public record Enqueued(String jobId, boolean created) {
    }

    public <P> Enqueued enqueue(TaskDefinition<P> task, P payload) {
        return enqueue(task, payload, EnqueueOptions.defaults());
    }

    /**
     * Validates and enqueues a job; with an idempotency key already used, returns that job instead.
     * Inside a transaction the job goes through the outbox ({@link JobOutbox}): it is delivered
     * if and only if the transaction commits, and never before the commit is visible; its id is
     * final, and an idempotency key is applied when it reaches Redis. Outside one it goes to Redis
     * now, and a Redis failure is a {@link QueueUnavailableException}.
     */
    public <P> Enqueued enqueue(TaskDefinition<P> task, P payload, EnqueueOptions options) {
        boolean transactional = outbox.inTransaction();
        PreparedJob job = prepare(task, payload, options, transactional);
        if (transactional) {
            outbox.add(job);
            Log.debugf("enqueued job %s task=%s queue=%s (outbox, pushed after commit)", job.id(), job.task(), job.queue());
            return new Enqueued(job.id(), true);
        }
        Response r = call("enqueue " + task.name(), () -> scripts.run(RedisScripts.Script.ENQUEUE, job.keys(keys()),
                job.args(outbox.markerTtlSeconds())));
        Enqueued enqueued = new Enqueued(r.get(0).toString(), r.get(1).toInteger() == 1);
        if (enqueued.created()) {
            Log.debugf("enqueued job %s task=%s queue=%s", enqueued.jobId(), task.name(), job.queue());
        }
        return enqueued;
    }

    /**
     * Enqueues many jobs at once, as BullMQ's {@code addBulk} and Sidekiq's {@code push_bulk} do:
     * each job is validated exactly as {@link #enqueue} validates it, all before any is sent (one
     * invalid job, named by its position, and nothing is enqueued), then they go to Redis in
     * pipelined {@code enqueue_bulk.lua} calls of up to {@value BulkEnqueue#CHUNK} jobs. Returns one
     * {@link Enqueued} per request, in the order given; jobs are created in that order, so of two
     * requests with the same idempotency key the first one wins.
     * <p>
     * Inside a transaction the jobs go through the outbox, like {@link #enqueue}, and are pushed in
     * bulk after the commit. Outside one, the jobs go in pipelined windows of {@value #BULK_WINDOW},
     * {@value #BULK_WINDOWS_IN_FLIGHT} in flight, and a Redis failure is a
     * {@link QueueUnavailableException}; windows other than the failed one may be enqueued, so a
     * caller that retries a failed bulk enqueue should give its jobs idempotency keys.
     */
    public List<Enqueued> enqueueAll(List<? extends JobRequest<?>> requests) {
        if (requests == null || requests.isEmpty()) {
            return List.of();
        }
        boolean transactional = outbox.inTransaction();
        List<PreparedJob> jobs = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            JobRequest<?> request = requests.get(i);
            if (request == null) {
                throw new InvalidJobException("job " + i + " of " + requests.size() + " is null; nothing was enqueued");
            }
            try {
                jobs.add(prepare(request, transactional));
            } catch (InvalidJobException e) {
                throw new InvalidJobException("job " + i + " of " + requests.size() + ": " + e.getMessage() + "; nothing was enqueued");
            }
        }
        if (transactional) {
            outbox.addAll(jobs);
            Log.debugf("enqueued %d jobs (outbox, pushed after commit)", jobs.size());
            return jobs.stream().map(j -> new Enqueued(j.id(), true)).toList();
        }
        // Windows are laid out on this thread while earlier ones run in Redis, a few in flight.
        long ttl = outbox.markerTtlSeconds();
        List<CompletableFuture<List<Enqueued>>> windows = new ArrayList<>();
        for (int from = 0; from < jobs.size(); from += BULK_WINDOW) {
            if (windows.size() >= BULK_WINDOWS_IN_FLIGHT) {
                awaitWindow(windows.get(windows.size() - BULK_WINDOWS_IN_FLIGHT), jobs.size());
            }
            BulkEnqueue bulk = new BulkEnqueue(jobs.subList(from, Math.min(jobs.size(), from + BULK_WINDOW)), keys(), ttl);
            windows.add(scripts.runAllAsync(RedisScripts.Script.ENQUEUE_BULK, bulk.keys(), bulk.args())
                    .map(bulk::results).subscribeAsCompletionStage());
        }
        List<Enqueued> enqueued = new ArrayList<>(jobs.size());
        for (CompletableFuture<List<Enqueued>> window : windows) {
            enqueued.addAll(awaitWindow(window, jobs.size()));
        }
        Log.debugf("enqueued %d jobs", jobs.size());
        return enqueued;
    }

    private List<Enqueued> awaitWindow(CompletableFuture<List<Enqueued>> window, int jobs) {
        return call("enqueue " + jobs + " jobs", () -> {
            try {
                return window.get(config.redisTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("no answer within " + config.redisTimeout().multipliedBy(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        });
    }

    /** {@link #enqueueAll(List)} for many payloads of one task with the same options. */
    public <P> List<Enqueued> enqueueAll(TaskDefinition<P> task, List<P> payloads, EnqueueOptions options) {
        return enqueueAll(payloads.stream().map(p -> JobRequest.of(task, p, options)).toList());
    }

    public <P> CompletionStage<Enqueued> enqueueAsync(TaskDefinition<P> task, P payload) {
        return enqueueAsync(task, payload, EnqueueOptions.defaults());
    }

    /**
     * Enqueues without waiting for Redis; the stage completes with what {@link #enqueue} would
     * return, or with a {@link QueueUnavailableException}. Validation happens now: an invalid job
     * throws {@link InvalidJobException} from this call. Jobs submitted while earlier ones are on
     * their way are sent together in one pipelined batch, so one thread can enqueue tens of
     * thousands of jobs a second; at most {@value EnqueueBatcher#MAX_WAITING} may wait for Redis
     * (beyond that the stage fails at once: wait for earlier results). Stages complete on a Redis
     * client thread: do not block in their callbacks. Inside a transaction the job goes through
     * the outbox, as with {@link #enqueue}, and the stage is already complete.
     */
    public <P> CompletionStage<Enqueued> enqueueAsync(TaskDefinition<P> task, P payload, EnqueueOptions options) {
        boolean transactional = outbox.inTransaction();
        PreparedJob job = prepare(task, payload, options, transactional);
        if (transactional) {
            outbox.add(job);
            return CompletableFuture.completedFuture(new Enqueued(job.id(), true));
        }
        return batcher().submit(job);
    }

    private EnqueueBatcher batcher() {
        EnqueueBatcher b = batcher;
        if (b == null) {
            synchronized (this) {
                if (batcher == null) {
                    batcher = new EnqueueBatcher(keys(), outbox.markerTtlSeconds(), bulk -> scripts.runAllAsync(
                            RedisScripts.Script.ENQUEUE_BULK, bulk.keys(), bulk.args()));
                }
                b = batcher;
            }
        }
        return b;
    }

    private <P> PreparedJob prepare(JobRequest<P> request, boolean viaOutbox) {
        return prepare(request.task(), request.payload(), request.options(), viaOutbox);
    }

    private <P> PreparedJob prepare(TaskDefinition<P> task, P payload, EnqueueOptions options, boolean viaOutbox) {
        String body = payloads.serialize(task, payload);
        String queue = KeySchema.checkQueue(options.queue().orElse(task.defaultQueue()));
        int maxRetries = options.maxRetries().orElse(task.maxRetries());
        Duration timeLimit = options.timeLimit().orElse(task.timeLimit());
        if (maxRetries < 0 || maxRetries > 100) {
            throw new InvalidJobException("max retries must be between 0 and 100");
        }
        if (timeLimit.isNegative() || timeLimit.isZero() || timeLimit.compareTo(Duration.ofHours(6)) > 0) {
            throw new InvalidJobException("time limit must be positive and at most 6 hours");
        }
        String idempotencyKey = options.idempotencyKey().orElse("");
        if (idempotencyKey.length() > 200) {
            throw new InvalidJobException("idempotency key is longer than 200 characters");
        }
        long now = System.currentTimeMillis();
        long eta = options.eta().map(Instant::toEpochMilli).orElse(now);
        return new PreparedJob(UUID.randomUUID().toString(), task.name(), queue, body, maxRetries, timeLimit.toMillis(),
                now, eta, options.ownerId().orElse(null), idempotencyKey, viaOutbox, TraceContext.current());
    }

    /** What {@link #cancel} did: cancelled it, found no such job, or found it taken or final ({@code state}). */
    public record Cancellation(Outcome outcome, JobState state) {
        public enum Outcome { CANCELLED, NOT_FOUND, TOO_LATE }
    }

    /**
     * Cancels a job no worker has taken: queued, or waiting for its ETA or retry backoff. It is
     * final at once ({@code cancelled}) and never runs. A job a worker has read, or that is final,
     * is left as it is ({@code TOO_LATE} with its state); one still in the outbox (its transaction
     * committed, its push under way) is {@code TOO_LATE} as queued: ask again in a moment.
     */
    public Cancellation cancel(String jobId) {
        if (!KeySchema.isJobId(jobId)) {
            return new Cancellation(Cancellation.Outcome.NOT_FOUND, null);
        }
        Response r = call("cancel", () -> scripts.run(RedisScripts.Script.CANCEL, List.of(),
                List.of(config.prefix(), jobId, Long.toString(System.currentTimeMillis()),
                        Long.toString(Math.max(1, config.resultTtl().toSeconds())))));
        return switch (r.get(0).toString()) {
            case "cancelled" -> new Cancellation(Cancellation.Outcome.CANCELLED, JobState.CANCELLED);
            case "too_late" -> new Cancellation(Cancellation.Outcome.TOO_LATE, JobState.fromWire(r.get(1).toString()));
            default -> status(jobId).map(s -> new Cancellation(Cancellation.Outcome.TOO_LATE, s.state()))
                    .orElse(new Cancellation(Cancellation.Outcome.NOT_FOUND, null));
        };
    }

    /**
     * A job's state: from Redis, or, for a committed job not yet pushed (Redis was down, or the
     * push is under way), from the outbox, as {@code queued}.
     */
    public Optional<JobStatus> status(String jobId) {
        if (!KeySchema.isJobId(jobId)) {
            return Optional.empty();
        }
        Map<String, String> hash;
        try {
            hash = RedisResponses.hash(call("status", () -> send(Request.cmd(Command.HGETALL).arg(keys().job(jobId)))));
        } catch (QueueUnavailableException e) {
            return Optional.of(outbox.find(jobId).orElseThrow(() -> e));
        }
        return hash.isEmpty() ? outbox.find(jobId) : Optional.of(JobStatus.fromHash(hash));
    }

    /** Queues that have ever had a job. */
    public List<String> queues() {
        Response r = call("queues", () -> send(Request.cmd(Command.SMEMBERS).arg(keys().queues())));
        List<String> names = new ArrayList<>();
        r.forEach(x -> names.add(x.toString()));
        names.sort(null);
        return names;
    }

    /** A queue's backlog now: O(1) Redis commands per queue, whatever its size ({@link Backlog}). */
    public QueueStats stats(String queue) {
        return new Backlog(this, keys()).read(queue);
    }

    Response send(Request request) {
        return redis.send(request).await().atMost(config.redisTimeout());
    }

    /** Runs {@code action}; a Redis failure becomes a {@link QueueUnavailableException} naming {@code what}. */
    static <T> T call(String what, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (InvalidJobException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new QueueUnavailableException("job queue unavailable (" + what + "): " + e.getMessage(), e);
        }
    }
}
