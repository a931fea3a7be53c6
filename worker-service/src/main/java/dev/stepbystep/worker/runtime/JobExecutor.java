package dev.stepbystep.worker.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.jobs.InvalidJobException;
import dev.stepbystep.jobs.PayloadCodec;
import dev.stepbystep.jobs.broker.Outcome;
import dev.stepbystep.jobs.broker.StartedJob;
import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.shared.tasks.Tasks;
import io.quarkus.logging.Log;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs attempts: on a virtual thread of their own ({@link #launch}) or on the caller's thread
 * ({@link #execute}, the reader's quick jobs), under the job's time limit (the watchdog calls
 * {@link #interruptOverdue}), and hands each outcome to {@code outcomes} (the
 * {@link OutcomeRecorder}) exactly once, whether the handler returned, failed, timed out or was handed back at shutdown.
 */
final class JobExecutor {

    /** Tasks that typically run shorter than this may run on the reader. */
    private static final Duration QUICK = Duration.ofMillis(1);

    private final Map<String, JobHandler<?>> handlers;
    private final PayloadCodec payloads;
    private final ObjectMapper json;
    private final WorkerMetrics metrics;
    private final Leases leases;
    private final Consumer<Outcome> outcomes;
    private final Semaphore slots;
    private final JobTracing tracing;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Typical run time per task (moving average, ns): only quick tasks run on the reader. */
    private final Map<String, Long> typicalRunNanos = new ConcurrentHashMap<>();
    private final ExecutorService jobThreads = Executors.newVirtualThreadPerTaskExecutor();

    /** A job in progress, settled exactly once: by its own thread, or by a shutdown hand-back. */
    private record Running(StartedJob job, Thread thread, AtomicBoolean settled, AtomicBoolean timedOut,
                           AtomicBoolean handedBack, AtomicLong deadlineNanos) {
    }

    JobExecutor(Map<String, JobHandler<?>> handlers, PayloadCodec payloads, ObjectMapper json, WorkerMetrics metrics,
                Leases leases, Consumer<Outcome> outcomes, Semaphore slots, JobTracing tracing) {
        this.handlers = Map.copyOf(handlers);
        this.payloads = payloads;
        this.json = json;
        this.metrics = metrics;
        this.leases = leases;
        this.outcomes = outcomes;
        this.slots = slots;
        this.tracing = tracing;
    }

    int inFlight() {
        return running.size();
    }

    boolean isQuick(String task) {
        return typicalRunNanos.getOrDefault(task, 0L) < QUICK.toNanos();
    }

    /** Runs the job on a virtual thread; its slot is given back when it ends. */
    void launch(StartedJob job) {
        jobThreads.execute(() -> {
            try {
                execute(job);
            } finally {
                slots.release();
            }
        });
    }

    /** Runs the job on this thread (the caller gives its slot back). */
    void execute(StartedJob job) {
        Running r = new Running(job, Thread.currentThread(), new AtomicBoolean(), new AtomicBoolean(), new AtomicBoolean(), new AtomicLong());
        leases.hold(job.queue(), job.streamId());
        running.put(job.jobId(), r);
        long startNanos = System.nanoTime();
        long waitMs = System.currentTimeMillis() - job.readyAtMs();
        metrics.started(job.task(), Duration.ofMillis(waitMs));
        try (JobTracing.Attempt span = tracing.start(job)) {
            Outcome outcome;
            try {
                outcome = attempt(r);
            } finally {
                running.remove(job.jobId());
                Thread.interrupted();
            }
            span.ended(outcome);
            long took = System.nanoTime() - startNanos;
            typicalRunNanos.merge(job.task(), took, (typical, latest) -> typical + (latest - typical) / 8);
            if (r.settled().compareAndSet(false, true)) {
                outcomes.accept(outcome);
                metrics.finished(job.task(), outcome.kind().name().toLowerCase(), Duration.ofNanos(took));
                metrics.attempt(job.queue(), outcome.kind().name().toLowerCase(), waitMs);
                if (outcome.kind() != Outcome.Kind.OK) {
                    Log.warnf("job %s task=%s attempt=%d %s: %s", job.jobId(), job.task(), job.attempt(),
                            outcome.kind().name().toLowerCase(), AttemptPolicy.firstLine(outcome.data()));
                }
            }
        }
    }

    private Outcome attempt(Running r) {
        StartedJob job = r.job();
        TaskDefinition<?> task = Tasks.byName(job.task()).orElse(null);
        JobHandler<?> handler = handlers.get(job.task());
        Outcome refused = AttemptPolicy.refusal(job, task != null && handler != null);
        if (refused != null) {
            return refused;
        }
        Object payload;
        try {
            payload = payloads.deserialize(task, job.payload());
        } catch (InvalidJobException e) {
            return new Outcome(job, Outcome.Kind.DEAD, e.getMessage(), 0);
        }
        long limit = job.timeLimitMs();
        r.deadlineNanos().set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit));
        try {
            Object result = invoke(handler, payload, new JobContext(job.jobId(), job.queue(), job.attempt(), job.maxRetries()));
            r.deadlineNanos().set(0);
            if (r.timedOut().get()) {
                return failure(job, task, "time limit of " + limit + " ms exceeded", false);
            }
            return new Outcome(job, Outcome.Kind.OK, json.writeValueAsString(result), 0);
        } catch (Throwable t) {
            r.deadlineNanos().set(0);
            if (r.handedBack().get()) {
                return new Outcome(job, Outcome.Kind.REQUEUE, "interrupted by worker shutdown", 0);
            }
            if (r.timedOut().get()) {
                return failure(job, task, "time limit of " + limit + " ms exceeded", false);
            }
            return failure(job, task, AttemptPolicy.describe(t), t instanceof PermanentJobFailure);
        }
    }

    private static Outcome failure(StartedJob job, TaskDefinition<?> task, String error, boolean permanent) {
        return AttemptPolicy.failure(job, task, error, permanent, System.currentTimeMillis(), ThreadLocalRandom.current().nextDouble());
    }

    @SuppressWarnings("unchecked")
    private static <P> Object invoke(JobHandler<P> handler, Object payload, JobContext context) throws Exception {
        return handler.handle((P) payload, context);
    }

    /** The watchdog's check: interrupts the thread of every job past its time limit. */
    void interruptOverdue(long nowNanos) {
        for (Running r : running.values()) {
            long deadline = r.deadlineNanos().get();
            if (deadline != 0 && nowNanos - deadline >= 0 && r.timedOut().compareAndSet(false, true)) {
                r.thread().interrupt();
            }
        }
    }

    /** At shutdown, after the grace period: every job still running goes back to the queue now. Returns how many. */
    int handBackAll() {
        List<Running> left = List.copyOf(running.values());
        for (Running r : left) {
            r.handedBack().set(true);
            if (r.settled().compareAndSet(false, true)) {
                outcomes.accept(new Outcome(r.job(), Outcome.Kind.REQUEUE, "worker shutdown", 0));
                r.thread().interrupt();
            }
        }
        return left.size();
    }

    /** Waits until all {@code concurrency} slots are free (no job runs), at most {@code grace}. */
    boolean awaitIdle(int concurrency, Duration grace) throws InterruptedException {
        return slots.tryAcquire(concurrency, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    void shutdown() {
        jobThreads.shutdownNow();
    }
}
