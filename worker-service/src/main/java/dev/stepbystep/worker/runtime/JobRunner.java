package dev.stepbystep.worker.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.jobs.PayloadCodec;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.WorkerRegistry;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.broker.WorkerBroker;
import dev.stepbystep.worker.WorkerConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * The worker: consumes {@code WORKER_QUEUES}, running at most {@code WORKER_CONCURRENCY} jobs at
 * once. This class starts and stops the parts, which share one {@link Semaphore} of slots:
 * <ul>
 * <li>{@link JobReader}: reads jobs and starts them (one reader thread at a time);</li>
 * <li>{@link JobExecutor}: runs attempts under their time limits; {@link AttemptPolicy} decides
 *     retry or dead;</li>
 * <li>{@link OutcomeRecorder}: records outcomes in batches once their start is confirmed
 *     ({@link StartMarks});</li>
 * <li>{@link Housekeeper}: promotes delayed jobs, renews {@link Leases}, asks for reclaims,
 *     refreshes the queue gauges;</li>
 * <li>{@link Watchdog}: time limits, a reader stuck on its own job, overdue reads.</li>
 * </ul>
 * On shutdown it stops reading, lets running jobs finish within the grace period, and hands the
 * rest back to the queue at once.
 */
@ApplicationScoped
public class JobRunner {

    @Inject
    WorkerConfig config;

    @Inject
    WorkerBroker broker;

    @Inject
    QueueConfig queueConfig;

    @Inject
    JobQueue queue;

    @Inject
    PayloadCodec payloads;

    @Inject
    WorkerMetrics metrics;

    @Inject
    ObjectMapper json;

    @Inject
    JobTracing tracing;

    @Inject
    WorkerRegistry registry;

    @Inject
    dev.stepbystep.jobs.client.QueueHistory history;

    @Inject
    dev.stepbystep.shared.config.AppConfig app;

    @Inject
    @Any
    Instance<JobHandler<?>> handlerBeans;

    private final String workerId = hostName() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 6);
    private JobReader reader;
    private JobExecutor executor;
    private OutcomeRecorder recorder;
    private Housekeeper housekeeper;
    private Watchdog watchdog;

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("worker disabled (worker.enabled=false): serving health and metrics only");
            return;
        }
        Map<String, JobHandler<?>> handlers = new HashMap<>();
        for (JobHandler<?> handler : handlerBeans) {
            JobHandler<?> previous = handlers.put(handler.task().name(), handler);
            if (previous != null) {
                throw new IllegalStateException("two handlers for task " + handler.task().name());
            }
        }
        List<String> queues = List.copyOf(new LinkedHashSet<>(config.queues()));
        Semaphore slots = new Semaphore(config.concurrency());
        OutageLog outage = new OutageLog();
        Leases leases = new Leases();
        recorder = new OutcomeRecorder(broker, queueConfig.redisTimeout(), leases, outage);
        executor = new JobExecutor(handlers, payloads, json, metrics, leases, recorder::record, slots, tracing);
        StartMarks marks = new StartMarks(broker, workerId, recorder, outage);
        reader = new JobReader(broker, workerId, queues, config.fetchBatch(), config.lease(), queueConfig.redisTimeout(),
                slots, executor, leases, marks, outage);
        java.time.Instant startedAt = java.time.Instant.now();
        String host = hostName();
        Runnable heartbeat = () -> registry.heartbeat(new WorkerRegistry.WorkerInfo(workerId, host, app.sourceTag(), queues,
                config.concurrency(), executor.inFlight(), startedAt, java.time.Instant.now()));
        housekeeper = new Housekeeper(config, broker, queue, metrics, queues, leases, workerId, reader::requestReclaim, heartbeat,
                () -> history.flush(metrics.tally()), outage);
        watchdog = new Watchdog(List.of(reader::passTurnIfStuck, reader::abortIfOverdue, executor::interruptOverdue));
        metrics.inFlight(executor::inFlight);
        broker.readTarget(); // refuses an unusable quarkus.redis.hosts now, not at every fetch
        reader.start();
        recorder.start();
        housekeeper.start();
        watchdog.start();
        Log.infof("worker %s consuming queues=%s concurrency=%d tasks=%s", workerId, queues, config.concurrency(), handlers.keySet());
    }

    public String workerId() {
        return workerId;
    }

    void stop(@Observes ShutdownEvent event) {
        if (reader == null || !reader.started()) {
            return;
        }
        try {
            if (!reader.stop()) {
                Log.warn("the job read under way did not end at shutdown; jobs it reads are redelivered once their lease lapses");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        housekeeper.stop();
        Log.infof("worker %s stopping: %d job(s) in flight, grace %s", workerId, executor.inFlight(), config.shutdownGrace());
        boolean drained = false;
        try {
            drained = executor.awaitIdle(config.concurrency(), config.shutdownGrace());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!drained) {
            Log.warnf("handed %d unfinished job(s) back to the queue after the grace period", executor.handBackAll());
        }
        recorder.stop(Duration.ofSeconds(10));
        executor.shutdown();
        try {
            history.flush(metrics.tally()); // the last second's counts
        } catch (RuntimeException e) {
            Log.debugf("the last per-minute counts were not written: %s", e.getMessage());
        }
        watchdog.stop();
        try {
            registry.leave(workerId); // off the workers list at once, not when its heartbeat expires
        } catch (RuntimeException e) {
            Log.debugf("could not leave the workers list (it expires within %s): %s", WorkerRegistry.EXPIRY, e.getMessage());
        }
        Log.infof("worker %s stopped", workerId);
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "worker";
            }
        }
        return host;
    }
}
