package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.broker.BlockingRedisConnection;
import dev.stepbystep.jobs.broker.Delivery;
import dev.stepbystep.jobs.broker.StartedJob;
import dev.stepbystep.jobs.broker.WorkerBroker;
import io.quarkus.logging.Log;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reader: one platform thread at a time reads jobs (blocking {@code XREADGROUP}, as many as
 * there are free slots) on a connection of its own and starts them on virtual threads, except
 * one job of a quick task, which it runs itself: that job starts with no thread hand-off at
 * all, the cheapest start there is. Should that job run long, the watchdog
 * ({@link #passTurnIfStuck}) passes the turn to read to a new reader thread, so reading waits
 * for a job at most {@link #PASS_AFTER} plus one watchdog tick. Start marks are pipelined on the
 * read connection and their replies read before the next read's; a reclaim of dead workers'
 * jobs runs here too, with the slots the reader holds.
 */
final class JobReader {

    static final Duration BLOCK = Duration.ofSeconds(1);
    /** How long the reader may run a job itself before the turn to read goes to a new reader. */
    static final Duration PASS_AFTER = Duration.ofMillis(2);

    private final WorkerBroker broker;
    private final String workerId;
    private final List<String> queues;
    private final int fetchBatch;
    private final Duration redisTimeout;
    private final Semaphore slots;
    private final JobExecutor executor;
    private final Leases leases;
    private final StartMarks marks;
    private final Dispatcher dispatcher;
    private final Duration lease;
    private final OutageLog outage;

    /** The one permit to read: held by the current reader (also while it runs a job itself), passed on, or taken for good by {@link #stop}. */
    private final Semaphore readTurn = new Semaphore(1);
    /** The job the reader is running itself, if any. */
    private volatile OnReader onReader;
    private final AtomicInteger readers = new AtomicInteger();
    /** Used only by the holder of {@link #readTurn}; no socket timeout (the watchdog ends overdue waits). */
    private volatile BlockingRedisConnection connection;
    /** Whether the queues' consumer groups exist; used only by the holder of {@link #readTurn}. */
    private boolean groupsReady;
    private volatile boolean fetching;
    /** Set by the housekeeper when a reclaim is due; the reader performs it. */
    private volatile boolean reclaimDue = true;

    /** A job the reader runs itself; {@code passed} is settled once, by the reader or by the watchdog. */
    private record OnReader(long sinceNanos, AtomicBoolean passed) {
    }

    JobReader(WorkerBroker broker, String workerId, List<String> queues, int fetchBatch, Duration lease, Duration redisTimeout,
              Semaphore slots, JobExecutor executor, Leases leases, StartMarks marks, OutageLog outage) {
        this.broker = broker;
        this.workerId = workerId;
        this.queues = queues;
        this.fetchBatch = fetchBatch;
        this.lease = lease;
        this.redisTimeout = redisTimeout;
        this.slots = slots;
        this.executor = executor;
        this.leases = leases;
        this.marks = marks;
        this.dispatcher = new Dispatcher(broker, workerId, slots, executor, leases, marks);
        this.outage = outage;
    }

    void start() {
        fetching = true;
        readTurn.acquireUninterruptibly();
        startReader();
    }

    boolean started() {
        return readers.get() > 0;
    }

    void requestReclaim() {
        reclaimDue = true;
    }

    /**
     * Stops reading: the read under way ends (within the block time), no other starts; a job the
     * reader runs itself passes the turn on within a watchdog tick. Then confirms the marks still
     * pending (their outcomes wait for them) and closes the connection. False when the read did
     * not end in time.
     */
    boolean stop() throws InterruptedException {
        fetching = false;
        long waitMs = BLOCK.plus(redisTimeout).plus(PASS_AFTER).plus(Watchdog.TICK).toMillis() + 1000;
        if (!readTurn.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
            return false;
        }
        sendMarks();
        if (connection != null) {
            try {
                connection.drain(redisTimeout);
            } catch (IOException e) {
                Log.debugf("read connection failed at shutdown: %s", e.getMessage());
            }
            connection.close();
            connection = null;
        }
        return true;
    }

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
            executor.execute(job);
        } finally {
            slots.release();
        }
        if (mine.passed().compareAndSet(false, true)) {
            onReader = null;
            return true;
        }
        return false;
    }

    /** A watchdog check: passes the turn to read on when the reader's own job runs long. */
    void passTurnIfStuck(long now) {
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

    /** A watchdog check: closes the read connection when a reply is overdue (the reader reconnects). */
    void abortIfOverdue(long now) {
        BlockingRedisConnection reading = connection;
        if (reading != null) {
            reading.abortIfOverdue(now);
        }
    }

    /** One read, as the reader; returns the job this thread should run itself, if any. */
    private StartedJob fetchOnce() {
        SlotHold held = null;
        try {
            if (!groupsReady) {
                queues.forEach(broker::ensureGroup);
                groupsReady = true;
            }
            if (!slots.tryAcquire()) {
                if (connection != null && connection.hasPending()) {
                    connection.drain(redisTimeout); // confirm marks now, not after the wait
                }
                if (!slots.tryAcquire(BLOCK.toMillis(), TimeUnit.MILLISECONDS)) {
                    return null;
                }
            }
            held = new SlotHold(1 + drainSlots(fetchBatch - 1));
            if (reclaimDue) {
                // Here, with the slots the reader holds: run from the housekeeper, it had to win
                // free slots from the reader, which holds them all while it waits on an empty
                // queue, so an idle worker could leave a dead worker's jobs unclaimed (seen under load).
                reclaimDue = false;
                dispatcher.reclaim(queues, lease, held);
                if (held.count() == 0) {
                    return null;
                }
            }
            if (connection == null) {
                connection = broker.openReadConnection(true);
            }
            int perQueue = Math.max(1, held.count() / queues.size());
            List<Delivery> deliveries = broker.read(connection, queues, workerId, perQueue, BLOCK);
            deliveries.forEach(d -> leases.hold(d.queue(), d.streamId()));
            outage.recovered();
            return startFresh(deliveries, held);
        } catch (InterruptedException e) {
            return null; // only stop() ends the reader, through the fetching flag
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

    private int drainSlots(int max) {
        int got = 0;
        while (got < max && slots.tryAcquire()) {
            got++;
        }
        return got;
    }

    /**
     * Starts the deliveries: fresh ones at once (one of a quick task kept for this thread), the
     * rest through the {@link Dispatcher}. Returns the job kept, if any; its slot stays taken until
     * the caller has run it.
     */
    private StartedJob startFresh(List<Delivery> deliveries, SlotHold held) {
        List<Delivery> rest = new ArrayList<>();
        Map<String, List<StartedJob>> byQueue = new LinkedHashMap<>();
        StartedJob own = null;
        for (Delivery d : deliveries) {
            if (d.job() != null && held.take()) {
                byQueue.computeIfAbsent(d.queue(), q -> new ArrayList<>()).add(d.job());
                if (own == null && fetching && executor.isQuick(d.job().task())) {
                    own = d.job();
                }
            } else {
                rest.add(d);
            }
        }
        for (var entry : byQueue.entrySet()) {
            CompletableFuture<Boolean> marked = marks.expect(entry.getValue());
            for (StartedJob job : entry.getValue()) {
                if (job != own) {
                    executor.launch(job);
                }
            }
            marks.later(entry.getKey(), entry.getValue(), marked);
        }
        if (own == null || !rest.isEmpty()) {
            sendMarks(); // now: dispatching the rest may wait for slots, and outcomes wait for marks
        }
        // else: sent once the job kept has run. A write to Redis costs as much as starting the
        // job (the kernel delivers it and wakes Redis in the writer's time), and the job comes first.
        dispatcher.dispatch(rest, held);
        return own;
    }

    /** Sends the marks of jobs started on this turn, pipelined on the read connection. */
    private void sendMarks() {
        if (!marks.send(connection)) {
            connection.close(); // the next read reconnects
            connection = null;
        }
    }
}
