package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.broker.Delivery;
import dev.stepbystep.jobs.broker.StartedJob;
import dev.stepbystep.jobs.broker.WorkerBroker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * Starts deliveries the reader did not start at once: fresh jobs beyond the slots it held
 * (once a slot frees up), entries without job data and redeliveries (through {@code start.lua},
 * which reads the job's hash and checks this worker still owns the entry), and jobs reclaimed
 * from dead workers.
 */
final class Dispatcher {

    private final WorkerBroker broker;
    private final String workerId;
    private final Semaphore slots;
    private final JobExecutor executor;
    private final Leases leases;
    private final StartMarks marks;

    Dispatcher(WorkerBroker broker, String workerId, Semaphore slots, JobExecutor executor, Leases leases, StartMarks marks) {
        this.broker = broker;
        this.workerId = workerId;
        this.slots = slots;
        this.executor = executor;
        this.leases = leases;
        this.marks = marks;
    }

    void dispatch(List<Delivery> deliveries, SlotHold held) {
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
            var marked = marks.expect(entry.getValue());
            entry.getValue().forEach(executor::launch);
            marks.now(entry.getKey(), entry.getValue(), marked);
        }
        for (var entry : byQueue.entrySet()) {
            Set<String> skipped = new HashSet<>();
            entry.getValue().forEach(d -> skipped.add(d.streamId()));
            try {
                for (StartedJob job : broker.start(entry.getKey(), workerId, entry.getValue())) {
                    skipped.remove(job.streamId());
                    takeSlot(held);
                    executor.launch(job);
                }
            } finally {
                // Final, gone, no longer this worker's, or not started at all (Redis failed):
                // not renewed, so another worker (or this one) reclaims what is left.
                skipped.forEach(streamId -> leases.release(entry.getKey(), streamId));
            }
        }
    }

    /** Takes back jobs whose lease lapsed, up to the slots held. */
    void reclaim(List<String> queues, java.time.Duration lease, SlotHold held) {
        for (String q : queues) {
            if (held.count() == 0) {
                return;
            }
            List<Delivery> taken = broker.reclaim(q, workerId, lease, held.count());
            taken.forEach(d -> leases.hold(d.queue(), d.streamId()));
            if (!taken.isEmpty()) {
                io.quarkus.logging.Log.warnf("reclaimed %d job(s) on queue %s whose worker stopped answering", taken.size(), q);
            }
            dispatch(taken, held);
        }
    }

    /** Takes one of the held slots, first waiting for a free one when none is left. */
    private void takeSlot(SlotHold held) {
        while (!held.take()) {
            // More jobs than slots (several queues answered at once): wait for a slot.
            slots.acquireUninterruptibly();
            held.add();
        }
    }
}
