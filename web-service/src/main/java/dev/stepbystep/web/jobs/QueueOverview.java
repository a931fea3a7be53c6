package dev.stepbystep.web.jobs;

import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.QueueHistory;
import dev.stepbystep.jobs.client.QueueStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each queue as operators see it (GET /api/queues/ and the console's overview): its backlog now,
 * the last complete minute's throughput and wait, and its last hour minute by minute. O(queues)
 * Redis round trips, whatever the backlog.
 */
@ApplicationScoped
public class QueueOverview {

    @Inject
    JobQueue jobs;

    @Inject
    QueueHistory history;

    public List<Map<String, Object>> queues() {
        return jobs.queues().stream().map(this::queue).toList();
    }

    private Map<String, Object> queue(String q) {
        QueueStats stats = jobs.stats(q);
        List<QueueHistory.Minute> minutes = history.lastHour(q);
        QueueHistory.Minute last = minutes.size() > 1 ? minutes.get(minutes.size() - 2) : null; // the last complete minute
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("queue", q);
        json.put("depth", stats.depth());
        json.put("in_flight", stats.inFlight());
        json.put("delayed", stats.delayed());
        json.put("dead", stats.dead());
        json.put("oldest_waiting_ms", stats.oldestWaitingMs());
        json.put("done_last_minute", last == null ? 0 : last.done());
        json.put("failed_last_minute", last == null ? 0 : last.failed());
        json.put("wait_p50_ms_last_minute", last == null ? -1 : last.waitP50Ms());
        json.put("wait_p95_ms_last_minute", last == null ? -1 : last.waitP95Ms());
        json.put("minutes", minutes.stream().map(m -> Map.of("minute", m.minute().toString(), "done", m.done(),
                "failed", m.failed(), "wait_p50_ms", m.waitP50Ms(), "wait_p95_ms", m.waitP95Ms())).toList());
        return json;
    }
}
