package dev.stepbystep.worker.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.shared.jobs.BlockingRedisConnection;
import dev.stepbystep.shared.jobs.Delivery;
import dev.stepbystep.shared.jobs.InvalidJobException;
import dev.stepbystep.shared.jobs.JobQueue;
import dev.stepbystep.shared.jobs.Outcome;
import dev.stepbystep.shared.jobs.QueueConfig;
import dev.stepbystep.shared.jobs.StartedJob;
import dev.stepbystep.shared.jobs.TaskDefinition;
import dev.stepbystep.shared.jobs.Tasks;
import dev.stepbystep.shared.jobs.WorkerBroker;
import dev.stepbystep.worker.WorkerConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes {@code WORKER_QUEUES}, running at most {@code WORKER_CONCURRENCY} jobs at once, each
 * on its own virtual thread or, for the job a fetch thread keeps, on that thread. Loops: two
 * fetch threads taking turns to read (blocking reads, as many jobs as there are free slots), the
 * finisher (records outcomes in batches, holding them through Redis outages),
 * and the housekeeper (promotes due delayed jobs, reclaims jobs of dead workers, refreshes queue
 * gauges). On shutdown it stops fetching, lets running jobs finish within the grace period, and
 * hands the rest back to the queue at once.
 */
@ApplicationScoped
public class JobRunner {

    private static final Duration BLOCK = Duration.ofSeconds(1);
    /** How often time limits are checked: a job is interrupted at most this long after its limit. */
    private static final Duration WATCHDOG_TICK = Duration.ofMillis(10);
    /** How long the reader may run a job itself before the turn to read goes to a new reader. */
    private static final Duration PASS_AFTER = Duration.ofMillis(2);
    /** Tasks that typically run shorter than this may run on the reader. */
    private static final Duration QUICK = Duration.ofMillis(1);

    /** Set by the housekeeper when a reclaim is due; the fetch loop performs it. */
    private volatile boolean reclaimDue = true;

    @Inject
    WorkerConfig config;

    @Inject
    WorkerBroker broker;

    @Inject
    QueueConfig queueConfig;

    @Inject
    JobQueue queue;

    @Inject
    WorkerMetrics metrics;

    @Inject
    ObjectMapper json;

    @Inject
    @Any
    Instance<JobHandler<?>> handlerBeans;

    private final String workerId = hostName() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 6);
    private final Map<String, JobHandler<?>> handlers = new HashMap<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Stream entry id -> queue of every job this worker holds, from its start until its outcome is recorded: the leases it renews. */
    private final Map<String, String> leased = new ConcurrentHashMap<>();
    /** Stream entry id of a fresh job -> whether marking it running succeeded; see {@link #launchAndMark}. */
    private final Map<String, CompletableFuture<Boolean>> marks = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final OutageLog outage = new OutageLog();
    private final ExecutorService jobThreads = Executors.newVirtualThreadPerTaskExecutor();
    private Semaphore slots;
    private List<String> queues;
    /**
     * The one permit to read: held by the current reader thread (also while it runs a job itself),
     * passed to a new reader when that job runs long, taken for good by shutdown.
     */
    private final Semaphore readTurn = new Semaphore(1);
    /** The job the reader is running itself, if any; see {@link #runOnReader}. */
    private volatile OnReader onReader;
    /** Typical run time per task (moving average, ns): only quick tasks run on the reader. */
    private final Map<String, Long> typicalRunNanos = new ConcurrentHashMap<>();
    private final AtomicInteger readers = new AtomicInteger();
    /**
     * The read connection; used only by the holder of {@link #readTurn}. Its waits have no socket
     * timeout (a plain blocking read wakes sooner): the watchdog ends overdue ones.
     */
    private volatile BlockingRedisConnection connection;
    /** Marks of jobs started but not yet sent; used only by the holder of {@link #readTurn}. */
    private final List<UnsentMark> unsentMarks = new ArrayList<>();
    /** Whether the queues' consumer groups exist; used only by the holder of {@link #readTurn}. */
    private boolean groupsReady;
    private volatile boolean fetching;
    private volatile boolean finishing;
    private Thread finisher;
    private Thread housekeeper;
    private Thread watchdog;

    private record UnsentMark(String queue, List<StartedJob> jobs, CompletableFuture<Boolean> marked) {
    }

    /** A job the reader runs itself; {@code passed} is settled once, by the reader or by the watchdog. */
    private record OnReader(long sinceNanos, AtomicBoolean passed) {
    }

    /** A job in progress, settled exactly once: by its own thread, or by a shutdown hand-back. */
    private record Running(StartedJob job, Thread thread, AtomicBoolean settled, AtomicBoolean timedOut,
                           AtomicBoolean handedBack, AtomicLong deadlineNanos) {
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("worker disabled (worker.enabled=false): serving health and metrics only");
            return;
        }
        for (JobHandler<?> handler : handlerBeans) {
            JobHandler<?> previous = handlers.put(handler.task().name(), handler);
            if (previous != null) {
                throw new IllegalStateException("two handlers for task " + handler.task().name());
            }
        }
        queues = List.copyOf(new java.util.LinkedHashSet<>(config.queues()));
        slots = new Semaphore(config.concurrency());
        metrics.inFlight(running::size);
        fetching = true;
        finishing = true;
        broker.readTarget(); // refuses an unusable quarkus.redis.hosts now, not at every fetch
        readTurn.acquireUninterruptibly();
        startReader();
        finisher = Thread.ofPlatform().name("job-finisher").start(this::finishLoop);
        housekeeper = Thread.ofPlatform().daemon().name("job-housekeeper").start(this::housekeepingLoop);
        watchdog = Thread.ofPlatform().daemon().name("job-time-limits").start(this::watchdogLoop);
        Log.infof("worker %s consuming queues=%s concurrency=%d tasks=%s", workerId, queues, config.concurrency(), handlers.keySet());
    }

    public String workerId() {
        return workerId;
    }

    // --- fetching ---------------------------------------------------------------------------

    /**
     * The reader: one platform thread at a time reads jobs (blocking, as many as there are free
     * slots) and starts them on virtual threads, except one job of a quick task, which it runs
     * itself: that job starts with no thread hand-off at all, the cheapest start there is. Should
     * that job run long, the watchdog passes the turn to read to a new reader, so reading waits
     * for a job at most {@link #PASS_AFTER} plus one watchdog tick.
     */
    private void startReader() {
        Thread.ofPlatform().daemon().name("job-reader-" + readers.incrementAndGet()).start(this::readLoop);
    }

    private void readLoop() {
        sendMarks(); // those of a reader that passed the turn on
        while (fetching) {
            Thread.interrupted(); // a time limit or hand-back aimed at a job this thread ran: not for the reader
            StartedJob own = fetchOnce();
            if (own != null) {
                if (!runOnReader(own)) {
                    return; // the turn to read went to a new reader meanwhile
                }
                sendMarks();
            }
        }
        readTurn.release();
    }

    /** Runs {@code job} on the reader; false when the turn to read was passed on meanwhile. */
    private boolean runOnReader(StartedJob job) {
        OnReader mine = new OnReader(System.nanoTime(), new AtomicBoolean());
        onReader = mine;
        try {
            execute(job);
        } finally {
            slots.release();
        }
        if (mine.passed().compareAndSet(false, true)) {
            onReader = null;
            return true;
        }
        return false;
    }

    /** Called by the watchdog: passes the turn to read on when the reader's own job runs long. */
    private void passTurnIfStuck(long now) {
        OnReader r = onReader;
        if (r != null && now - r.sinceNanos() >= PASS_AFTER.toNanos() && r.passed().compareAndSet(false, true)) {
            onReader = null;
            if (fetching) {
                startReader();
            } else {
                readTurn.release();
            }
        }
    }

    /** One read, as the reader; returns the job this thread should run itself, if any. */
    private StartedJob fetchOnce() {
        Held held = null;
        try {
            if (!groupsReady) {
                queues.forEach(broker::ensureGroup);
                groupsReady = true;
            }
            if (!slots.tryAcquire()) {
                if (connection != null && connection.hasPending()) {
                    connection.drain(queueConfig.redisTimeout()); // confirm marks now, not after the wait
                }
                if (!slots.tryAcquire(BLOCK.toMillis(), TimeUnit.MILLISECONDS)) {
                    return null;
                }
            }
            held = new Held(1 + drainSlots(config.fetchBatch() - 1));
            if (reclaimDue) {
                // Reclaiming runs here, with the slots the reader holds: run from the
                // housekeeper, it had to win free slots from the reader, which holds them all
                // while it waits on an empty queue, and so a worker with nothing to do could
                // leave a dead worker's jobs unclaimed indefinitely (seen under CPU load).
                reclaimDue = false;
                reclaim(held);
                if (held.count() == 0) {
                    return null;
                }
            }
            if (connection == null) {
                connection = broker.openReadConnection(true);
            }
            int perQueue = Math.max(1, held.count() / queues.size());
            List<Delivery> deliveries = broker.read(connection, queues, workerId, perQueue, BLOCK);
            // Leased from now on: a delivery waiting for a slot is renewed like a running job.
            deliveries.forEach(d -> leased.put(d.streamId(), d.queue()));
            outage.recovered();
            return startFresh(deliveries, held);
        } catch (InterruptedException e) {
            return null; // only shutdown stops the reader, through the fetching flag
        } catch (IOException | RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                groupsReady = false; // the stream or its group was deleted: recreate them
            }
            // A read cut off mid-way leaves its entries pending for this worker, unrenewed; they
            // are reclaimed once their lease lapses, like those of a worker that died.
            if (e instanceof IOException && connection != null) {
                connection.close();
                connection = null;
            }
            outage.failed("fetch", e);
            outage.pause();
            return null;
        } finally {
            if (held != null) {
                slots.release(held.rest());
            }
        }
    }

    /** The slots one read holds: each job started takes one (its thread gives it back), the read releases the rest. */
    private static final class Held {
        private int count;

        Held(int count) {
            this.count = count;
        }

        int count() {
            return count;
        }

        boolean take() {
            if (count == 0) {
                return false;
            }
            count--;
            return true;
        }

        void add() {
            count++;
        }

        int rest() {
            int left = count;
            count = 0;
            return left;
        }
    }

    private int drainSlots(int max) {
        int got = 0;
        while (got < max && slots.tryAcquire()) {
            got++;
        }
        return got;
    }

    /**
     * Starts the deliveries: fresh ones at once (one of a quick task kept for this thread), the
     * rest through {@link #dispatch}. Returns the job kept, if any; its slot stays taken until the
     * caller has run it.
     */
    private StartedJob startFresh(List<Delivery> deliveries, Held held) {
        List<Delivery> rest = new ArrayList<>();
        Map<String, List<StartedJob>> byQueue = new LinkedHashMap<>();
        StartedJob own = null;
        for (Delivery d : deliveries) {
            if (d.job() != null && held.take()) {
                byQueue.computeIfAbsent(d.queue(), q -> new ArrayList<>()).add(d.job());
                if (own == null && fetching && isQuick(d.job().task())) {
                    own = d.job();
                }
            } else {
                rest.add(d);
            }
        }
        for (var entry : byQueue.entrySet()) {
            CompletableFuture<Boolean> marked = new CompletableFuture<>();
            for (StartedJob job : entry.getValue()) {
                marks.put(job.streamId(), marked);
                if (job != own) {
                    launch(job);
                }
            }
            unsentMarks.add(new UnsentMark(entry.getKey(), entry.getValue(), marked));
        }
        if (own == null || !rest.isEmpty()) {
            sendMarks(); // now: dispatching the rest may wait for slots, and outcomes wait for marks
        }
        // else: sent once the job kept has run. A write to Redis costs as much as starting the
        // job (the kernel delivers it and wakes Redis in the writer's time), and the job comes first.
        dispatch(rest, held);
        return own;
    }

    /** Marks jobs running in Redis, pipelined on the read connection: the reply is read before the next read's. */
    private void sendMarks() {
        for (UnsentMark m : unsentMarks) {
            if (connection == null) {
                broker.mark(m.queue(), workerId, m.jobs()).subscribe().with(dropped -> confirmMarked(dropped, m.marked()),
                        failure -> confirmMarked(null, m.marked()));
                continue;
            }
            try {
                broker.mark(connection, m.queue(), workerId, m.jobs(), dropped -> confirmMarked(dropped, m.marked()));
            } catch (IOException e) {
                // The callback has been told (the jobs' outcomes will not be recorded; they are
                // redelivered once their lease lapses); the next read reconnects.
                connection.close();
                connection = null;
            }
        }
        unsentMarks.clear();
    }

    private boolean isQuick(String task) {
        return typicalRunNanos.getOrDefault(task, 0L) < QUICK.toNanos();
    }

    /**
     * Starts jobs at once and marks them running in Redis meanwhile; the finisher records an
     * outcome only once its job's mark is confirmed, so Redis never sees them out of order.
     */
    private void launchAndMark(String queue, List<StartedJob> jobs) {
        CompletableFuture<Boolean> marked = new CompletableFuture<>();
        for (StartedJob job : jobs) {
            marks.put(job.streamId(), marked);
            launch(job);
        }
        broker.mark(queue, workerId, jobs).subscribe().with(dropped -> confirmMarked(dropped, marked),
                failure -> confirmMarked(null, marked));
    }

    /** {@code dropped}: the jobs Redis did not mark (already final or gone); null when marking failed. */
    private void confirmMarked(List<String> dropped, CompletableFuture<Boolean> marked) {
        if (dropped == null) {
            outage.failed("marking jobs running", new IllegalStateException("no answer from Redis"));
            marked.complete(false);
            return;
        }
        if (!dropped.isEmpty()) {
            Log.debugf("dropped %d delivery(ies) whose job was already final or gone: %s", dropped.size(), dropped);
        }
        marked.complete(true);
    }

    /**
     * Starts what {@link #startFresh} left: entries without job data and redeliveries through the
     * start script, fresh jobs beyond the held slots once a slot frees up.
     */
    private void dispatch(List<Delivery> deliveries, Held held) {
        Map<String, List<Delivery>> byQueue = new LinkedHashMap<>();
        Map<String, List<StartedJob>> fresh = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            if (d.job() != null) {
                fresh.computeIfAbsent(d.queue(), q -> new ArrayList<>()).add(d.job());
            } else {
                byQueue.computeIfAbsent(d.queue(), q -> new ArrayList<>()).add(d);
            }
        }
        for (var entry : fresh.entrySet()) {
            entry.getValue().forEach(job -> takeSlot(held));
            launchAndMark(entry.getKey(), entry.getValue());
        }
        for (var entry : byQueue.entrySet()) {
            java.util.Set<String> skipped = new java.util.HashSet<>();
            entry.getValue().forEach(d -> skipped.add(d.streamId()));
            try {
                for (StartedJob job : broker.start(entry.getKey(), workerId, entry.getValue())) {
                    skipped.remove(job.streamId());
                    takeSlot(held);
                    launch(job);
                }
            } finally {
                // Final, gone, no longer this worker's, or not started at all (Redis failed):
                // not renewed, so another worker (or this one) reclaims what is left.
                skipped.forEach(leased::remove);
            }
        }
    }

    /** Takes one of the held slots, first waiting for a free one when none is left. */
    private void takeSlot(Held held) {
        while (!held.take()) {
            // More jobs than slots (several queues answered at once): wait for a slot.
            slots.acquireUninterruptibly();
            held.add();
        }
    }

    private void launch(StartedJob job) {
        jobThreads.execute(() -> {
            try {
                execute(job);
            } finally {
                slots.release();
            }
        });
    }

    // --- running ----------------------------------------------------------------------------

    private void execute(StartedJob job) {
        Running r = new Running(job, Thread.currentThread(), new AtomicBoolean(), new AtomicBoolean(), new AtomicBoolean(), new AtomicLong());
        leased.put(job.streamId(), job.queue());
        running.put(job.jobId(), r);
        long startNanos = System.nanoTime();
        metrics.started(job.task(), Duration.ofMillis(System.currentTimeMillis() - job.readyAtMs()));
        Outcome outcome;
        try {
            outcome = attempt(r);
        } finally {
            running.remove(job.jobId());
            Thread.interrupted();
        }
        long took = System.nanoTime() - startNanos;
        typicalRunNanos.merge(job.task(), took, (typical, latest) -> typical + (latest - typical) / 8);
        if (r.settled().compareAndSet(false, true)) {
            outcomes.add(outcome);
            metrics.finished(job.task(), outcome.kind().name().toLowerCase(), Duration.ofNanos(took));
            if (outcome.kind() != Outcome.Kind.OK) {
                Log.warnf("job %s task=%s attempt=%d %s: %s", job.jobId(), job.task(), job.attempt(),
                        outcome.kind().name().toLowerCase(), firstLine(outcome.data()));
            }
        }
    }

    private Outcome attempt(Running r) {
        StartedJob job = r.job();
        TaskDefinition<?> task = Tasks.byName(job.task()).orElse(null);
        JobHandler<?> handler = handlers.get(job.task());
        if (task == null || handler == null) {
            return new Outcome(job, Outcome.Kind.DEAD, "unknown task '" + job.task() + "': no handler in this worker", 0);
        }
        if (job.attempt() > job.maxRetries() + 1) {
            return new Outcome(job, Outcome.Kind.DEAD, "delivered " + job.attempt() + " times without finishing "
                    + "(its worker died or was killed each time); not retried again", 0);
        }
        Object payload;
        try {
            payload = queue.deserialize(task, job.payload());
        } catch (InvalidJobException e) {
            return new Outcome(job, Outcome.Kind.DEAD, e.getMessage(), 0);
        }
        long limit = job.timeLimitMs();
        r.deadlineNanos().set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit));
        try {
            Object result = invoke(handler, payload, new JobContext(job.jobId(), job.queue(), job.attempt()));
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
            return failure(job, task, describe(t), t instanceof PermanentJobFailure);
        }
    }

    /**
     * Interrupts jobs past their time limit, checking every {@link #WATCHDOG_TICK}: one thread
     * that looks at the running jobs instead of a timer per job, whose scheduling would wake a
     * timer thread on every job start.
     */
    private void watchdogLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            passTurnIfStuck(now);
            BlockingRedisConnection reading = connection;
            if (reading != null) {
                reading.abortIfOverdue(now);
            }
            for (Running r : running.values()) {
                long deadline = r.deadlineNanos().get();
                if (deadline != 0 && now - deadline >= 0 && r.timedOut().compareAndSet(false, true)) {
                    r.thread().interrupt();
                }
            }
            try {
                Thread.sleep(WATCHDOG_TICK);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <P> Object invoke(JobHandler<P> handler, Object payload, JobContext context) throws Exception {
        return handler.handle((P) payload, context);
    }

    private Outcome failure(StartedJob job, TaskDefinition<?> task, String error, boolean permanent) {
        if (permanent || job.attempt() > job.maxRetries()) {
            return new Outcome(job, Outcome.Kind.DEAD, error, 0);
        }
        long delay = task.backoff(job.attempt(), ThreadLocalRandom.current().nextDouble()).toMillis();
        return new Outcome(job, Outcome.Kind.RETRY, error, System.currentTimeMillis() + delay);
    }

    /** The error as the status API shows it: type, message, and the head of the stack. */
    static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(t.getClass().getName()).append(": ").append(t.getMessage());
        Arrays.stream(t.getStackTrace()).limit(5).forEach(frame -> s.append("\n\tat ").append(frame));
        return s.length() > 4000 ? s.substring(0, 4000) : s.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // --- recording outcomes -------------------------------------------------------------------

    private void finishLoop() {
        List<Outcome> batch = new ArrayList<>();
        while (finishing || !outcomes.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Outcome first = outcomes.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    outcomes.drainTo(batch, 511);
                }
                Map<String, List<Outcome>> byQueue = new LinkedHashMap<>();
                batch.forEach(o -> byQueue.computeIfAbsent(o.job().queue(), q -> new ArrayList<>()).add(o));
                for (var entry : byQueue.entrySet()) {
                    List<Outcome> confirmed = confirmedRunning(entry.getValue());
                    if (!confirmed.isEmpty()) {
                        int applied = broker.finish(entry.getKey(), confirmed);
                        if (applied < confirmed.size()) {
                            Log.warnf("%d outcome(s) on queue %s not recorded: their jobs are final already or "
                                    + "have a newer attempt (this worker's lease lapsed and another worker took them over)", confirmed.size() - applied, entry.getKey());
                        }
                    }
                    entry.getValue().forEach(o -> {
                        marks.remove(o.job().streamId());
                        leased.remove(o.job().streamId());
                    });
                    batch.removeAll(entry.getValue());
                }
                outage.recovered();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // Keep the outcomes and try again: a result is only lost if this process dies
                // too, and then the job is redelivered once its lease lapses.
                outage.failed("recording results", e);
                if (!outage.pause()) {
                    break;
                }
            }
        }
        if (!batch.isEmpty() || !outcomes.isEmpty()) {
            Log.warnf("%d job outcome(s) not recorded before exit; those jobs will be redelivered", batch.size() + outcomes.size());
        }
    }

    /**
     * The outcomes whose job is marked running in Redis (waiting for marks still under way). An
     * outcome whose mark failed or timed out is not recorded: the job stays pending and is
     * redelivered once its lease lapses, which is at-least-once, never lost.
     */
    private List<Outcome> confirmedRunning(List<Outcome> outcomes) throws InterruptedException {
        List<Outcome> confirmed = new ArrayList<>(outcomes.size());
        List<String> unconfirmed = new ArrayList<>();
        for (Outcome o : outcomes) {
            CompletableFuture<Boolean> mark = marks.get(o.job().streamId());
            boolean ok = true;
            if (mark != null) {
                try {
                    ok = mark.get(queueConfig.redisTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    ok = false;
                }
            }
            if (ok) {
                confirmed.add(o);
            } else {
                unconfirmed.add(o.job().jobId());
            }
        }
        if (!unconfirmed.isEmpty()) {
            Log.warnf("%d job outcome(s) not recorded because the jobs' start was not (Redis unavailable); they will be "
                    + "redelivered once their lease lapses: %s", unconfirmed.size(),
                    unconfirmed.size() <= 5 ? unconfirmed : unconfirmed.subList(0, 5) + " ...");
        }
        return confirmed;
    }

    // --- housekeeping -------------------------------------------------------------------------

    private void housekeepingLoop() {
        long quarterLease = Math.max(250, config.lease().toMillis() / 4);
        long nextReclaim = 0;
        long nextRenewal = 0;
        long nextStats = 0;
        while (fetching) {
            try {
                long now = System.currentTimeMillis();
                for (String q : queues) {
                    broker.promote(q, 1000);
                }
                if (now >= nextRenewal) {
                    renewLeases();
                    nextRenewal = now + quarterLease;
                }
                if (now >= nextReclaim) {
                    reclaimDue = true; // the fetch loop does it (it holds the slots)
                    nextReclaim = now + quarterLease;
                }
                if (now >= nextStats) {
                    queues.forEach(q -> metrics.queue(queue.stats(q)));
                    nextStats = now + config.statsInterval().toMillis();
                }
                outage.recovered();
                Thread.sleep(config.promoteInterval());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                outage.failed("housekeeping", e);
                if (!outage.pause()) {
                    return;
                }
            }
        }
    }

    /**
     * Renews the lease of every job this worker holds (running, or its outcome not yet recorded),
     * one script per queue. A job whose entry another worker has reclaimed keeps running here,
     * but its outcome will not be recorded (finish.lua applies only the current attempt's).
     */
    private void renewLeases() {
        Map<String, List<String>> byQueue = new LinkedHashMap<>();
        leased.forEach((streamId, q) -> byQueue.computeIfAbsent(q, k -> new ArrayList<>()).add(streamId));
        for (var entry : byQueue.entrySet()) {
            List<String> lost = broker.renew(entry.getKey(), workerId, entry.getValue());
            lost.removeIf(streamId -> leased.remove(streamId) == null); // recorded meanwhile: not lost
            if (!lost.isEmpty()) {
                Log.warnf("lease lost on %d job entry(ies) of queue %s (this worker stopped renewing for longer than %s; "
                        + "another worker took them over): %s", lost.size(), entry.getKey(), config.lease(),
                        lost.size() <= 5 ? lost : lost.subList(0, 5) + " ...");
            }
        }
    }

    /** Takes back jobs whose lease lapsed, up to the slots the caller holds. */
    private void reclaim(Held held) {
        for (String q : queues) {
            if (held.count() == 0) {
                return;
            }
            List<Delivery> taken = broker.reclaim(q, workerId, config.lease(), held.count());
            taken.forEach(d -> leased.put(d.streamId(), d.queue()));
            if (!taken.isEmpty()) {
                Log.warnf("reclaimed %d job(s) on queue %s whose worker stopped answering", taken.size(), q);
            }
            dispatch(taken, held);
        }
    }

    // --- shutdown -------------------------------------------------------------------------------

    void stop(@Observes ShutdownEvent event) {
        if (readers.get() == 0) {
            return;
        }
        fetching = false;
        // Take the turn to read for good: the read under way ends (within the block time), no
        // other starts; a job the reader runs itself passes the turn on within a watchdog tick.
        try {
            if (readTurn.tryAcquire(BLOCK.plus(queueConfig.redisTimeout()).plus(PASS_AFTER).plus(WATCHDOG_TICK).toMillis() + 1000,
                    TimeUnit.MILLISECONDS)) {
                closeReadConnection();
            } else {
                Log.warn("the job read under way did not end at shutdown; jobs it reads are redelivered once their lease lapses");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        housekeeper.interrupt();
        int inFlight = running.size();
        Log.infof("worker %s stopping: %d job(s) in flight, grace %s", workerId, inFlight, config.shutdownGrace());
        boolean drained = false;
        try {
            drained = slots.tryAcquire(config.concurrency(), config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!drained) {
            List<Running> left = List.copyOf(running.values());
            for (Running r : left) {
                r.handedBack().set(true);
                if (r.settled().compareAndSet(false, true)) {
                    outcomes.add(new Outcome(r.job(), Outcome.Kind.REQUEUE, "worker shutdown", 0));
                    r.thread().interrupt();
                }
            }
            Log.warnf("handed %d unfinished job(s) back to the queue after the grace period", left.size());
        }
        finishing = false;
        join(finisher, Duration.ofSeconds(10));
        jobThreads.shutdownNow();
        if (watchdog != null) {
            watchdog.interrupt();
        }
        Log.infof("worker %s stopped", workerId);
    }

    /** Confirms the marks still pending on the read connection (their outcomes wait for them), then closes it. */
    private void closeReadConnection() {
        sendMarks();
        if (connection != null) {
            try {
                connection.drain(queueConfig.redisTimeout());
            } catch (IOException e) {
                Log.debugf("read connection failed at shutdown: %s", e.getMessage());
            }
            connection.close();
            connection = null;
        }
    }

    private static void join(Thread t, Duration d) {
        try {
            t.join(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
