package dev.stepbystep.jobs.client;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What is known about a job, as stored in Redis. Timestamps are null until they happen. */
public record JobStatus(String id, String task, String queue, JobState state, int attempts, int maxRetries,
                        Instant enqueuedAt, Instant readyAt, Instant startedAt, Instant finishedAt,
                        String result, String error, String lastError, Long ownerId) {

    static JobStatus fromHash(Map<String, String> h) {
        return new JobStatus(h.get("id"), h.get("task"), h.get("queue"), JobState.fromWire(h.get("state")),
                Integer.parseInt(h.getOrDefault("attempts", "0")), Integer.parseInt(h.getOrDefault("max_retries", "0")),
                instant(h.get("enqueued_at")), instant(h.get("ready_at")), instant(h.get("started_at")),
                instant(h.get("finished_at")), h.get("result"), blankToNull(h.get("error")),
                blankToNull(h.get("last_error")), Optional.ofNullable(blankToNull(h.get("owner"))).map(Long::valueOf).orElse(null));
    }

    private static Instant instant(String millis) {
        return millis == null || millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
