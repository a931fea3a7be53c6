package dev.stepbystep.web.ops;

import dev.stepbystep.jobs.client.JobState;
import dev.stepbystep.jobs.client.JobStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A job as its console page shows it: facts, redacted payload, and its timeline of events. */
final class JobView {

    private JobView() {
    }

    static Map<String, Object> of(JobStatus job) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", job.id());
        m.put("task", job.task());
        m.put("queue", job.queue());
        m.put("state", job.state().wire());
        m.put("attempts", job.attempts());
        m.put("max_attempts", job.maxRetries() + 1);
        m.put("owner", job.ownerId());
        m.put("payload", PayloadRedactor.redact(job.task(), job.payload()));
        m.put("result", pretty(job.result()));
        m.put("error", job.error());
        m.put("last_error", job.lastError());
        m.put("can_retry", job.state() == JobState.DEAD);
        m.put("can_cancel", job.state() == JobState.QUEUED || job.state() == JobState.RETRYING);
        return m;
    }

    /** One line of the timeline; {@code kind} styles it. */
    record Event(Instant instant, String kind, String what, String detail, String error) {

        public String at() {
            return instant.toString();
        }
    }

    /** The job's events, oldest first, as the template reads them (kind, at, what, detail, error). */
    static List<Map<String, Object>> timeline(JobStatus job) {
        return events(job).stream().map(e -> {
            Map<String, Object> m = new HashMap<>();
            m.put("kind", e.kind());
            m.put("at", e.at());
            m.put("what", e.what());
            m.put("detail", e.detail());
            m.put("error", e.error());
            return m;
        }).toList();
    }

    static List<Event> events(JobStatus job) {
        List<Event> events = new ArrayList<>();
        if (job.enqueuedAt() != null) {
            events.add(new Event(job.enqueuedAt(), "enqueued", "enqueued", "on " + job.queue()
                    + (job.readyAt() != null && job.readyAt().isAfter(job.enqueuedAt().plusMillis(1)) && job.runs().isEmpty()
                    ? ", to run at " + job.readyAt() : ""), null));
        }
        for (JobStatus.Run run : job.runs()) {
            events.add(new Event(run.startedAt(), "started", "run " + run.number() + " started",
                    "attempt " + run.attempt() + " on worker " + run.worker(), null));
            if (run.endedAt() != null) {
                events.add(new Event(run.endedAt(), run.outcome(), "run " + run.number() + " " + outcome(run.outcome()),
                        "after " + millis(Duration.between(run.startedAt(), run.endedAt())), run.error()));
            } else if (job.state() != JobState.RUNNING || isNotLast(job, run)) {
                events.add(new Event(run.startedAt(), "lost", "run " + run.number() + " ended with its worker",
                        "the worker stopped; another took the job over", null));
            }
        }
        if (job.revivedAt() != null) {
            events.add(new Event(job.revivedAt(), "revived", "put back from the dead letters", "with a fresh attempt budget", null));
        }
        if (job.state() == JobState.RETRYING && job.readyAt() != null) {
            events.add(new Event(job.readyAt(), "waiting", "next attempt due", "after a backoff", null));
        }
        if (job.finishedAt() != null && (job.state() == JobState.CANCELLED || job.state() == JobState.DEAD
                || job.state() == JobState.SUCCEEDED)) {
            events.add(new Event(job.finishedAt(), job.state().wire(), job.state().wire(), null, null));
        }
        events.sort(Comparator.comparing(Event::instant));
        return events;
    }

    private static boolean isNotLast(JobStatus job, JobStatus.Run run) {
        return run != job.runs().get(job.runs().size() - 1);
    }

    private static String outcome(String outcome) {
        return switch (outcome == null ? "" : outcome) {
            case "ok" -> "succeeded";
            case "retry" -> "failed, to be retried";
            case "dead" -> "failed, no retries left";
            case "requeue" -> "handed back (worker shutting down)";
            default -> "ended (" + outcome + ")";
        };
    }

    private static String millis(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? ms + " ms" : OpsMessages.age(d);
    }

    private static String pretty(String result) {
        if (result == null) {
            return null;
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(result).toPrettyString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return result;
        }
    }
}
