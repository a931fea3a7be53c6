package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.WorkerRegistry;
import dev.stepbystep.jobs.broker.WorkerBroker;
import dev.stepbystep.worker.WorkerConfig;

import java.util.List;

/**
 * The slow loop, every {@code worker.promote-interval} (100 ms): promotes due delayed jobs,
 * renews leases and asks the reader for a reclaim every quarter lease, writes the per-minute
 * counts (QueueHistory) every second and this worker's heartbeat (WorkerRegistry) every 10 s, and
 * refreshes the queue gauges every {@code worker.stats-interval}. The reclaim itself runs on the
 * reader, which holds the slots the reclaimed jobs need.
 */
final class Housekeeper {

    private final WorkerConfig config;
    private final WorkerBroker broker;
    private final JobQueue queue;
    private final WorkerMetrics metrics;
    private final List<String> queues;
    private final Leases leases;
    private final String workerId;
    private final Runnable requestReclaim;
    private final Runnable heartbeat;
    private final Runnable flushHistory;
    private final OutageLog outage;
    private volatile boolean running = true;
    private Thread thread;

    Housekeeper(WorkerConfig config, WorkerBroker broker, JobQueue queue, WorkerMetrics metrics, List<String> queues,
                Leases leases, String workerId, Runnable requestReclaim, Runnable heartbeat, Runnable flushHistory,
                OutageLog outage) {
        this.config = config;
        this.broker = broker;
        this.queue = queue;
        this.metrics = metrics;
        this.queues = queues;
        this.leases = leases;
        this.workerId = workerId;
        this.requestReclaim = requestReclaim;
        this.heartbeat = heartbeat;
        this.flushHistory = flushHistory;
        this.outage = outage;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("job-housekeeper").start(this::loop);
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        long quarterLease = Math.max(250, config.lease().toMillis() / 4);
        long nextReclaim = 0;
        long nextRenewal = 0;
        long nextStats = 0;
        long nextHeartbeat = 0;
        long nextHistory = 0;
        while (running) {
            try {
                long now = System.currentTimeMillis();
                for (String q : queues) {
                    broker.promote(q, 1000);
                }
                if (now >= nextRenewal) {
                    leases.renew(broker, workerId, config.lease());
                    nextRenewal = now + quarterLease;
                }
                if (now >= nextReclaim) {
                    requestReclaim.run();
                    nextReclaim = now + quarterLease;
                }
                if (now >= nextHeartbeat) {
                    heartbeat.run();
                    nextHeartbeat = now + WorkerRegistry.INTERVAL.toMillis();
                }
                if (now >= nextHistory) {
                    nextHistory = now + 1000;
                    flushHistory.run();
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
}
