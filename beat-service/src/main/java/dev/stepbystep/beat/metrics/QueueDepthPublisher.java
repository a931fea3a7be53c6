package dev.stepbystep.beat.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepbystep.beat.schedule.BeatConfig;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.client.QueueStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes queue backlog so operators (and ECS autoscaling) can see it without an AWS call from
 * the app: every interval, one beat replica (the one that claims the interval in Redis) reads each
 * queue's depth, in-flight, delayed and dead counts, sets Prometheus gauges and prints one
 * CloudWatch Embedded Metric Format line per queue on stdout.
 */
@ApplicationScoped
public class QueueDepthPublisher {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    JobQueue queue;

    @Inject
    BeatConfig config;

    @Inject
    QueueConfig queueConfig;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    private final String instance = UUID.randomUUID().toString();
    private final Map<String, AtomicLong[]> gauges = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread loop;

    /**
     * Starts after every other start-up observer (beat's schedule check among them): a start that
     * is refused must end with its one-line reason, not with this thread's warning about a Redis
     * client closed under it.
     */
    void start(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
        running = true;
        loop = Thread.ofPlatform().daemon().name("queue-depth-publisher").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
    }

    private void run() {
        long interval = config.metrics().interval().toMillis();
        while (running) {
            long now = System.currentTimeMillis();
            long slot = now - Math.floorMod(now, interval);
            try {
                publishIfClaimed(slot, System.out);
            } catch (RuntimeException e) {
                registry.counter("beat_publish_errors").increment();
                Log.warnf("queue depth not published: %s", e.getMessage());
            }
            try {
                Thread.sleep(untilNextSlot(slot, interval, System.currentTimeMillis()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * How long to wait after publishing for {@code slot}: until just past the next slot's start, or
     * not at all when publishing ran past it (a slow first Redis call at start-up near a slot
     * boundary, an outage), so the current slot is published at once instead of skipped.
     */
    static long untilNextSlot(long slot, long interval, long now) {
        return Math.max(0, slot + interval + 5 - now);
    }

    /** Publishes for the interval starting at {@code slot} if this replica wins it; returns whether it did. */
    public boolean publishIfClaimed(long slot, PrintStream out) {
        String claim = queueConfig.keys().beatPublishClaim(slot);
        String holder = redis.value(String.class).setGet(claim, instance,
                new SetArgs().nx().px(config.metrics().interval().multipliedBy(2)));
        if (holder != null) {
            return false;
        }
        for (String q : queue.queues()) {
            QueueStats stats = queue.stats(q);
            gauge(stats);
            out.println(emf(stats, Instant.ofEpochMilli(slot)));
        }
        return true;
    }

    /** One CloudWatch EMF record: the metrics of one queue at one instant. */
    public String emf(QueueStats stats, Instant at) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", config.metrics().namespace());
        directive.putArray("Dimensions").addArray().add("Environment").add("Queue");
        var metrics = directive.putArray("Metrics");
        for (String name : new String[] {"QueueDepth", "InFlight", "Delayed", "DeadLetters"}) {
            metrics.addObject().put("Name", name).put("Unit", "Count");
        }
        metrics.addObject().put("Name", "OldestJobAge").put("Unit", "Seconds");
        root.put("Environment", config.metrics().environment());
        root.put("Queue", stats.queue());
        root.put("QueueDepth", stats.depth());
        root.put("InFlight", stats.inFlight());
        root.put("Delayed", stats.delayed());
        root.put("DeadLetters", stats.dead());
        root.put("OldestJobAge", stats.oldestWaitingMs() / 1000.0);
        return root.toString();
    }

    private void gauge(QueueStats stats) {
        AtomicLong[] g = gauges.computeIfAbsent(stats.queue(), q -> {
            AtomicLong[] values = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};
            String[] names = {"queue_depth", "queue_in_flight", "queue_delayed", "queue_dead"};
            for (int i = 0; i < names.length; i++) {
                Gauge.builder(names[i], values[i], AtomicLong::get).tag("queue", q).register(registry);
            }
            Gauge.builder("queue_oldest_age_seconds", values[4], v -> v.get() / 1000.0).tag("queue", q)
                    .description("How long the oldest waiting job has been ready").register(registry);
            return values;
        });
        g[0].set(stats.depth());
        g[1].set(stats.inFlight());
        g[2].set(stats.delayed());
        g[3].set(stats.dead());
        g[4].set(stats.oldestWaitingMs());
    }
}
