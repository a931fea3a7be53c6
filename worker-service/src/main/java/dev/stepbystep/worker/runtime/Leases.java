package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.broker.WorkerBroker;
import io.quarkus.logging.Log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stream entries this worker holds, from delivery until their outcome is recorded: what it
 * renews. A delivery waiting for a slot is renewed like a running job.
 */
final class Leases {

    private final Set<EntryRef> held = ConcurrentHashMap.newKeySet();

    void hold(String queue, String streamId) {
        held.add(new EntryRef(queue, streamId));
    }

    /** True when it was held. */
    boolean release(String queue, String streamId) {
        return held.remove(new EntryRef(queue, streamId));
    }

    /**
     * Renews every lease, one script per queue. A job whose entry another worker reclaimed keeps
     * running here, but its outcome is not recorded (finish.lua applies only the current attempt's).
     */
    void renew(WorkerBroker broker, String workerId, Duration lease) {
        Map<String, List<String>> byQueue = new LinkedHashMap<>();
        held.forEach(e -> byQueue.computeIfAbsent(e.queue(), k -> new ArrayList<>()).add(e.streamId()));
        for (var entry : byQueue.entrySet()) {
            List<String> lost = broker.renew(entry.getKey(), workerId, entry.getValue());
            lost.removeIf(streamId -> !release(entry.getKey(), streamId)); // recorded meanwhile: not lost
            if (!lost.isEmpty()) {
                Log.warnf("lease lost on %d job entry(ies) of queue %s (this worker stopped renewing for longer than %s; "
                        + "another worker took them over): %s", lost.size(), entry.getKey(), lease,
                        lost.size() <= 5 ? lost : lost.subList(0, 5) + " ...");
            }
        }
    }
}
