package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.client.QueueHistory;
import dev.stepbystep.jobs.client.QueueStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** The worker's Prometheus metrics (see docs/jobs.md, "Scaling workers"). */
@ApplicationScoped
public class WorkerMetrics {

    @Inject
    MeterRegistry registry;

    private final Map<String, QueueGauges> queues = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /** Per queue and minute, what the operators' charts show (QueueHistory); flushed by the housekeeper. */
    private final QueueHistory.Tally tally = new QueueHistory.Tally();

    QueueHistory.Tally tally() {
        return tally;
    }

    /** An attempt that ended, after waiting {@code waitMs} from ready to start; a hand-back counts as neither. */
    void attempt(String queue, String outcome, long waitMs) {
        if (!"requeue".equals(outcome)) {
            tally.record(queue, QueueHistory.minuteOf(System.currentTimeMillis()), "ok".equals(outcome), Math.max(0, waitMs));
        }
    }

    private record QueueGauges(AtomicLong depth, AtomicLong inFlight, AtomicLong delayed, AtomicLong dead, AtomicLong oldestMs) {
    }

    void inFlight(IntSupplier running) {
        Gauge.builder("jobs_in_flight", running::getAsInt).description("Jobs this worker is running").register(registry);
    }

    void started(String task, Duration wait) {
        counter("jobs_started", task).increment();
        timer("jobs_wait", "Time from a job being ready to it starting", task).record(wait.isNegative() ? Duration.ZERO : wait);
    }

    void finished(String task, String outcome, Duration run) {
        counter(switch (outcome) {
            case "ok" -> "jobs_succeeded";
            case "retry" -> "jobs_retried";
            case "dead" -> "jobs_dead";
            default -> "jobs_requeued";
        }, task).increment();
        if (!"ok".equals(outcome) && !"requeue".equals(outcome)) {
            counter("jobs_failed", task).increment();
        }
        timer("jobs_run", "Time a job attempt ran", task).record(run);
    }

    void queue(QueueStats stats) {
        QueueGauges g = queues.computeIfAbsent(stats.queue(), q -> {
            QueueGauges created = new QueueGauges(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong());
            Gauge.builder("queue_depth", created.depth(), AtomicLong::get).tag("queue", q).description("Jobs waiting to be fetched").register(registry);
            Gauge.builder("queue_in_flight", created.inFlight(), AtomicLong::get).tag("queue", q).description("Jobs held by workers").register(registry);
            Gauge.builder("queue_delayed", created.delayed(), AtomicLong::get).tag("queue", q).description("Jobs waiting for their ETA or retry").register(registry);
            Gauge.builder("queue_dead", created.dead(), AtomicLong::get).tag("queue", q).description("Dead-lettered jobs").register(registry);
            Gauge.builder("queue_oldest_age_seconds", created.oldestMs(), v -> v.get() / 1000.0).tag("queue", q)
                    .description("How long the oldest waiting job has been ready").register(registry);
            return created;
        });
        g.depth().set(stats.depth());
        g.inFlight().set(stats.inFlight());
        g.delayed().set(stats.delayed());
        g.dead().set(stats.dead());
        g.oldestMs().set(stats.oldestWaitingMs());
    }

    // Meters are looked up once per (name, task): this runs for every job.
    private Counter counter(String name, String task) {
        return counters.computeIfAbsent(name + '|' + task, k -> Counter.builder(name).tag("task", task).register(registry));
    }

    private Timer timer(String name, String description, String task) {
        return timers.computeIfAbsent(name + '|' + task, k -> Timer.builder(name).description(description).tag("task", task)
                .publishPercentileHistogram().register(registry));
    }
}
