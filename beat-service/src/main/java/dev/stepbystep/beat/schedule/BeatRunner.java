package dev.stepbystep.beat.schedule;

import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.TaskDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Fires each schedule once per slot across all beat replicas: every replica that finds a slot
 * due enqueues its job with the slot (schedule name + slot time) as idempotency key, and the
 * enqueue script creates the job for the first and answers the others with that job. Claiming
 * the slot and enqueueing it are one atomic step, so a replica that dies at any moment either
 * enqueued the slot's job or left the slot to the others: two or three replicas, or an old and a
 * new one during a deploy, produce exactly one job per slot, and losing a replica leaves no gap.
 */
@ApplicationScoped
public class BeatRunner {

    private static final Duration MAX_SLEEP = Duration.ofSeconds(1);

    @Inject
    Schedules schedules;

    @Inject
    JobQueue queue;

    @Inject
    QueueConfig queueConfig;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry metrics;

    @Inject
    io.opentelemetry.api.trace.Tracer tracer;

    private final java.util.Set<String> skipped = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final com.fasterxml.jackson.databind.ObjectMapper registryJson = new com.fasterxml.jackson.databind.ObjectMapper();
    private List<PlannedSchedule> planned;
    private volatile boolean running;
    private Thread loop;
    private Instant startedAt;

    void start(@Observes StartupEvent event) {
        planned = schedules.load();
        startedAt = Instant.now();
        for (PlannedSchedule s : planned) {
            Log.infof("beat schedule %s: %s -> %s on queue %s, next fire at %s", s.name(), s.schedule().describe(),
                    s.task().name(), s.queue(), s.schedule().nextSlot(startedAt));
        }
        publishRegistry(null);
        running = true;
        loop = Thread.ofPlatform().name("beat").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false; // stop scheduling at once; a fire in progress finishes its enqueue
        if (loop != null) {
            loop.interrupt();
        }
    }

    private void run() {
        while (running) {
            Instant now = Instant.now();
            Instant wake = now.plus(MAX_SLEEP);
            for (PlannedSchedule s : planned) {
                try {
                    tick(s, now);
                } catch (RuntimeException e) {
                    metrics.counter("beat_errors", "schedule", s.name()).increment();
                    Log.warnf("beat schedule %s: %s", s.name(), e.getMessage());
                }
                Instant next = s.schedule().nextSlot(now);
                if (next.isBefore(wake)) {
                    wake = next;
                }
            }
            try {
                Thread.sleep(Math.max(1, Duration.between(Instant.now(), wake).toMillis() + 1));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void tick(PlannedSchedule s, Instant now) {
        String lastKey = key("last", s.name());
        String last = redis.value(String.class).get(lastKey);
        Instant lastFired = last == null ? null : Instant.ofEpochMilli(Long.parseLong(last));
        var due = s.due(lastFired, now, startedAt);
        if (due.isEmpty()) {
            Instant missed = s.schedule().previousSlot(now);
            if (lastFired != null && missed.isAfter(lastFired) && skipped.add(s.name() + ":" + missed.toEpochMilli())) {
                metrics.counter("beat_skips", "schedule", s.name()).increment();
                Log.infof("beat schedule %s: skipping the missed slot %s (missed=skip)", s.name(), missed);
            }
            return;
        }
        Instant slot = due.get();
        JobQueue.Enqueued job = fire(s, slot);
        remember(lastKey, slot);
        if (!job.created()) {
            metrics.counter("beat_claims_lost", "schedule", s.name()).increment(); // another replica fired it
            return;
        }
        if (slot.isBefore(startedAt)) {
            Log.infof("beat schedule %s: fired once for the missed slot %s", s.name(), slot);
        }
        publishRegistry(s);
        metrics.counter("beat_fires", "schedule", s.name()).increment();
        Log.debugf("beat schedule %s fired slot %s job %s", s.name(), slot, job.jobId());
    }

    /**
     * Each fire starts a trace of its own (a root span, current while it enqueues, so the job's
     * attempts continue it), with its ids in the MDC for the fire's log lines.
     */
    private JobQueue.Enqueued fire(PlannedSchedule s, Instant slot) {
        io.opentelemetry.api.trace.Span span = tracer.spanBuilder("beat " + s.name()).setNoParent()
                .setSpanKind(io.opentelemetry.api.trace.SpanKind.PRODUCER)
                .setAttribute("beat.schedule", s.name())
                .setAttribute("beat.slot", slot.toString())
                .setAttribute("job.task", s.task().name())
                .setAttribute("messaging.destination.name", s.queue())
                .startSpan();
        try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
            org.jboss.logging.MDC.put("traceId", span.getSpanContext().getTraceId());
            org.jboss.logging.MDC.put("spanId", span.getSpanContext().getSpanId());
            JobQueue.Enqueued job = enqueue(s, slot);
            span.setAttribute("messaging.message.id", job.jobId());
            span.setAttribute("beat.claimed", job.created());
            return job;
        } catch (RuntimeException e) {
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            org.jboss.logging.MDC.remove("traceId");
            org.jboss.logging.MDC.remove("spanId");
            span.end();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private JobQueue.Enqueued enqueue(PlannedSchedule s, Instant slot) {
        Object payload = s.payload() instanceof dev.stepbystep.shared.tasks.payloads.BeatDebug
                ? new dev.stepbystep.shared.tasks.payloads.BeatDebug(slot, s.name()) // the seed's task logs its fire time
                : s.payload();
        return queue.enqueue((TaskDefinition) s.task(), payload,
                EnqueueOptions.defaults().queue(s.queue()).idempotencyKey("beat:" + s.name() + ":" + slot.toEpochMilli()));
    }

    /**
     * Writes the schedules, with last and next fire times, to a Redis hash that web's
     * {@code GET /api/schedules/} reads: beat owns its configuration, web only shows it.
     */
    private void publishRegistry(PlannedSchedule only) {
        try {
            String hash = new dev.stepbystep.jobs.KeySchema(queueConfig.prefix()).beatSchedules();
            if (only == null) {
                redis.key().del(hash);
            }
            Instant now = Instant.now();
            for (PlannedSchedule s : planned) {
                if (only != null && only != s) {
                    continue;
                }
                String last = redis.value(String.class).get(key("last", s.name()));
                var entry = registryJson.createObjectNode()
                        .put("name", s.name()).put("task", s.task().name()).put("queue", s.queue())
                        .put("schedule", s.schedule().describe()).put("missed", s.fireMissedOnce() ? "fire-once" : "skip")
                        .put("next_fire_at", s.schedule().nextSlot(now).toString());
                entry.put("last_fire_at", last == null ? null : Instant.ofEpochMilli(Long.parseLong(last)).toString());
                redis.hash(String.class).hset(hash, s.name(), entry.toString());
            }
        } catch (RuntimeException e) {
            Log.warnf("beat schedule registry not written: %s", e.getMessage());
        }
    }

    private void remember(String lastKey, Instant slot) {
        String current = redis.value(String.class).get(lastKey);
        if (current == null || Long.parseLong(current) < slot.toEpochMilli()) {
            redis.value(String.class).set(lastKey, Long.toString(slot.toEpochMilli()), new SetArgs().ex(Duration.ofDays(30)));
        }
    }

    private String key(String kind, String name) {
        return queueConfig.keys().beatSchedule(kind, name);
    }
}
