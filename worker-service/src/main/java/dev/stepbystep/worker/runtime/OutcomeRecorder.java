package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.broker.Outcome;
import dev.stepbystep.jobs.broker.StartedJob;
import dev.stepbystep.jobs.broker.WorkerBroker;
import io.quarkus.logging.Log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The finisher: records outcomes in Redis in batches (one {@code finish.lua} per queue and
 * batch), each only once its job's start mark is confirmed, so Redis never sees a finish before
 * its start. Through a Redis outage it keeps the outcomes and retries; a result is lost only if
 * the process dies too, and then the job is redelivered once its lease lapses.
 */
final class OutcomeRecorder {

    private static final int BATCH = 512;

    private final WorkerBroker broker;
    private final Duration redisTimeout;
    private final Leases leases;
    private final OutageLog outage;
    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    /** Stream entry of a fresh job -> whether marking it running succeeded. */
    private final Map<EntryRef, CompletableFuture<Boolean>> marks = new ConcurrentHashMap<>();
    private volatile boolean finishing = true;
    private Thread thread;

    OutcomeRecorder(WorkerBroker broker, Duration redisTimeout, Leases leases, OutageLog outage) {
        this.broker = broker;
        this.redisTimeout = redisTimeout;
        this.leases = leases;
        this.outage = outage;
    }

    /** The job's outcome waits for {@code marked} (true: Redis marked it running). */
    void expectMark(StartedJob job, CompletableFuture<Boolean> marked) {
        marks.put(entry(job), marked);
    }

    void record(Outcome outcome) {
        outcomes.add(outcome);
    }

    void start() {
        thread = Thread.ofPlatform().name("job-finisher").start(this::loop);
    }

    /** Records what is queued, then stops; waits at most {@code wait}. */
    void stop(Duration wait) {
        finishing = false;
        try {
            thread.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        List<Outcome> batch = new ArrayList<>();
        while (finishing || !outcomes.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Outcome first = outcomes.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    outcomes.drainTo(batch, BATCH - 1);
                }
                Map<String, List<Outcome>> byQueue = new LinkedHashMap<>();
                batch.forEach(o -> byQueue.computeIfAbsent(o.job().queue(), q -> new ArrayList<>()).add(o));
                for (var entry : byQueue.entrySet()) {
                    List<Outcome> confirmed = confirmedRunning(entry.getValue());
                    if (!confirmed.isEmpty()) {
                        int applied = broker.finish(entry.getKey(), confirmed);
                        if (applied < confirmed.size()) {
                            Log.warnf("%d outcome(s) on queue %s not recorded: their jobs are final already or "
                                    + "have a newer attempt (this worker's lease lapsed and another worker took them over)",
                                    confirmed.size() - applied, entry.getKey());
                        }
                    }
                    entry.getValue().forEach(o -> {
                        marks.remove(entry(o.job()));
                        leases.release(o.job().queue(), o.job().streamId());
                    });
                    batch.removeAll(entry.getValue());
                }
                outage.recovered();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
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
    private List<Outcome> confirmedRunning(List<Outcome> batch) throws InterruptedException {
        List<Outcome> confirmed = new ArrayList<>(batch.size());
        List<String> unconfirmed = new ArrayList<>();
        for (Outcome o : batch) {
            CompletableFuture<Boolean> mark = marks.get(entry(o.job()));
            boolean ok = true;
            if (mark != null) {
                try {
                    ok = mark.get(redisTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
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

    private static EntryRef entry(StartedJob job) {
        return new EntryRef(job.queue(), job.streamId());
    }
}
