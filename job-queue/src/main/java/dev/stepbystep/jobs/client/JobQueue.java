package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.InvalidJobException;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.QueueUnavailableException;
import dev.stepbystep.jobs.RedisResponses;
import dev.stepbystep.jobs.RedisScripts;
import dev.stepbystep.jobs.TaskDefinition;

import dev.stepbystep.jobs.KeySchema;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.logging.Log;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The queue client for producers and operators: enqueue, job status, queue statistics and the
 * dead-letter queue. Every change is one Lua script, so a crash between two Redis commands
 * cannot lose or duplicate a job. Redis failures surface as {@link QueueUnavailableException}.
 */
@ApplicationScoped
public class JobQueue {

    /** Upper bound for a serialized payload; a job is an instruction, not a data transfer. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    private static final int BATCH = 1000;

    @Inject
    RedisScripts scripts;

    @Inject
    Redis redis;

    @Inject
    QueueConfig config;

    /**
     * Payloads travel in one fixed JSON dialect (Java field names, ISO-8601 instants), whatever
     * naming the web API uses for its own JSON: web, beat and worker must read each other's jobs.
     */
    private static final ObjectMapper json = JsonMapper.builder(JsonFactory.builder()
                    // Workers run each job on a new virtual thread: Jackson's default thread-local
                    // buffer pool would allocate fresh buffers for every job.
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Inject
    Validator validator;

    @Inject
    JobOutbox outbox;

    private KeySchema keys;

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

    private <P> PreparedJob prepare(TaskDefinition<P> task, P payload, EnqueueOptions options, boolean viaOutbox) {
        String body = serialize(task, payload);
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
                now, eta, options.ownerId().orElse(null), idempotencyKey, viaOutbox);
    }

    /** The JSON a payload travels as, after Bean Validation of the payload. */
    public <P> String serialize(TaskDefinition<P> task, P payload) {
        if (payload == null || !task.payloadType().isInstance(payload)) {
            throw new InvalidJobException("payload of " + task.name() + " must be a " + task.payloadType().getSimpleName());
        }
        validate(task, payload);
        try {
            String body = json.writeValueAsString(payload);
            if (body.length() > MAX_PAYLOAD_BYTES) {
                throw new InvalidJobException("payload is larger than " + MAX_PAYLOAD_BYTES + " bytes");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new InvalidJobException("payload of " + task.name() + " cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** Reads and validates a payload; throws {@link InvalidJobException} saying what is wrong. */
    public <P> P deserialize(TaskDefinition<P> task, String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidJobException("empty payload for " + task.name());
        }
        P payload;
        try {
            payload = json.readValue(body, task.payloadType());
        } catch (JsonProcessingException e) {
            throw new InvalidJobException("unreadable payload for " + task.name() + ": " + e.getOriginalMessage());
        }
        if (payload == null) {
            throw new InvalidJobException("empty payload for " + task.name());
        }
        validate(task, payload);
        return payload;
    }

    private <P> void validate(TaskDefinition<P> task, P payload) {
        Set<ConstraintViolation<P>> violations = validator.validate(payload);
        if (!violations.isEmpty()) {
            throw new InvalidJobException("invalid payload for " + task.name() + ": " + violations.stream()
                    .map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted().collect(Collectors.joining("; ")));
        }
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
            hash = toMap(call("status", () -> send(Request.cmd(Command.HGETALL).arg(keys().job(jobId)))));
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

    public QueueStats stats(String queue) {
        KeySchema.checkQueue(queue);
        List<Response> r = call("stats", () -> redis.batch(List.of(
                Request.cmd(Command.XLEN).arg(keys().stream(queue)),
                Request.cmd(Command.XPENDING).arg(keys().stream(queue)).arg(KeySchema.GROUP),
                Request.cmd(Command.ZCARD).arg(keys().delayed(queue)),
                Request.cmd(Command.ZCARD).arg(keys().dead(queue)))).await().atMost(config.redisTimeout()));
        long length = r.get(0).toLong();
        long pending = r.get(1) == null || r.get(1).size() == 0 ? 0 : r.get(1).get(0).toLong();
        return new QueueStats(queue, Math.max(0, length - pending), pending, r.get(2).toLong(), r.get(3).toLong());
    }

    /** Dead jobs of a queue, newest first. */
    public List<JobStatus> deadLetters(String queue, int offset, int limit) {
        KeySchema.checkQueue(queue);
        Response ids = call("dead letters", () -> send(Request.cmd(Command.ZREVRANGE).arg(keys().dead(queue))
                .arg(offset).arg(offset + limit - 1)));
        List<JobStatus> jobs = new ArrayList<>();
        for (Response id : ids) {
            status(id.toString()).ifPresent(jobs::add);
        }
        return jobs;
    }

    /** Puts one dead job back on its queue with a fresh attempt budget; false when it is not dead. */
    public boolean retryDead(String jobId) {
        Optional<JobStatus> job = status(jobId);
        if (job.isEmpty() || job.get().state() != JobState.DEAD) {
            return false;
        }
        String queue = job.get().queue();
        return call("retry dead", () -> scripts.run(RedisScripts.Script.RETRY_DEAD, List.of(keys().dead(queue), keys().stream(queue)),
                List.of(config.prefix(), queue, Long.toString(System.currentTimeMillis()), jobId, "1"))).toInteger() == 1;
    }

    /** Puts every dead job of a queue back; returns how many. */
    public long retryAllDead(String queue) {
        KeySchema.checkQueue(queue);
        long total = 0;
        int moved;
        do {
            moved = call("retry dead", () -> scripts.run(RedisScripts.Script.RETRY_DEAD, List.of(keys().dead(queue), keys().stream(queue)),
                    List.of(config.prefix(), queue, Long.toString(System.currentTimeMillis()), "*", Integer.toString(BATCH)))).toInteger();
            total += moved;
        } while (moved == BATCH);
        return total;
    }

    /** Deletes every dead job of a queue; returns how many. */
    public long purgeDead(String queue) {
        KeySchema.checkQueue(queue);
        long total = 0;
        int removed;
        do {
            removed = call("purge dead", () -> scripts.run(RedisScripts.Script.PURGE_DEAD, List.of(keys().dead(queue)),
                    List.of(config.prefix(), queue, Integer.toString(BATCH)))).toInteger();
            total += removed;
        } while (removed == BATCH);
        return total;
    }

    Response send(Request request) {
        return redis.send(request).await().atMost(config.redisTimeout());
    }

    /** A Redis hash as a map, whether Redis answered in RESP3 (a map) or RESP2 (a flat array). */
    static Map<String, String> toMap(Response r) {
        Map<String, String> map = new HashMap<>();
        if (r == null || r.size() == 0) {
            return map;
        }
        if (RedisResponses.isMap(r)) {
            for (String k : r.getKeys()) {
                map.put(k, r.get(k).toString());
            }
        } else {
            for (int i = 0; i + 1 < r.size(); i += 2) {
                map.put(r.get(i).toString(), r.get(i + 1).toString());
            }
        }
        return map;
    }

    <T> T call(String what, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (InvalidJobException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new QueueUnavailableException("job queue unavailable (" + what + "): " + e.getMessage(), e);
        }
    }
}
