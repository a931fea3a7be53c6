package dev.stepbystep.jobs.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is known about a job, as stored in Redis. Timestamps are null until they happen.
 *
 * @param payload   the task's JSON payload as enqueued (unredacted: show it to operators through a redactor)
 * @param runs      each time a worker started the job, oldest first (the last 20; see {@code lib/runs.lua})
 * @param revivedAt when an operator last put it back from the dead letters
 */
public record JobStatus(String id, String task, String queue, JobState state, int attempts, int maxRetries,
                        Instant enqueuedAt, Instant readyAt, Instant startedAt, Instant finishedAt,
                        String result, String error, String lastError, Long ownerId,
                        String payload, List<Run> runs, Instant revivedAt) {

    /**
     * One start of the job by a worker and, once it ended, how: {@code outcome} is {@code ok},
     * {@code retry}, {@code dead} or {@code requeue} (the worker stopped and gave it back), and
     * null with {@code endedAt} for a run that ended with its worker (the job was taken over).
     */
    public record Run(int number, Instant startedAt, int attempt, String worker, Instant endedAt, String outcome, String error) {
    }

    public static JobStatus fromHash(Map<String, String> h) {
        return new JobStatus(h.get("id"), h.get("task"), h.get("queue"), JobState.fromWire(h.get("state")),
                Integer.parseInt(h.getOrDefault("attempts", "0")), Integer.parseInt(h.getOrDefault("max_retries", "0")),
                instant(h.get("enqueued_at")), instant(h.get("ready_at")), instant(h.get("started_at")),
                instant(h.get("finished_at")), h.get("result"), blankToNull(h.get("error")),
                blankToNull(h.get("last_error")), Optional.ofNullable(blankToNull(h.get("owner"))).map(Long::valueOf).orElse(null),
                h.get("payload"), runs(h), instant(h.get("revived_at")));
    }

    private static List<Run> runs(Map<String, String> h) {
        List<Run> runs = new ArrayList<>();
        int last = Integer.parseInt(h.getOrDefault("runs", "0"));
        for (int n = Math.max(1, last - 19); n <= last; n++) {
            String start = h.get("run:" + n);
            if (start == null) {
                continue;
            }
            String[] s = start.split(" ", 3);
            String end = h.get("end:" + n);
            String[] e = end == null ? new String[3] : end.split(" ", 3);
            runs.add(new Run(n, instant(s[0]), Integer.parseInt(s[1]), s.length > 2 ? s[2] : "",
                    instant(e[0]), e.length > 1 ? e[1] : null, e.length > 2 ? blankToNull(e[2]) : null));
        }
        return List.copyOf(runs);
    }

    private static Instant instant(String millis) {
        return millis == null || millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
