package dev.stepbystep.web.ops;

import java.time.Duration;
import java.util.Map;

/**
 * What an action tells the page it redirects to, by code (a query parameter): only these texts
 * can appear, so a link cannot put words of its own on a staff member's screen.
 */
final class OpsMessages {

    private static final Map<String, String> NOTICES = Map.of(
            "retried", "The job is back on its queue with a fresh attempt budget.",
            "cancelled", "The job is cancelled: no worker will run it.",
            "retried-all", "Every dead job of the queue is back on it.",
            "purged", "The queue's dead letters are deleted.");

    private static final Map<String, String> PROBLEMS = Map.of(
            "not-dead", "Only a dead job can be retried; this one is not dead (any more).",
            "too-late", "Too late to cancel: a worker has taken the job, or it has finished.",
            "enqueueing", "The job is being enqueued; try again in a moment.",
            "bad-id", "A job id is a UUID, such as 3f2b…-…; nothing was looked up.",
            "bad-queue", "Queue names are 1-64 letters, digits, '_', '.' or '-'.",
            "confirm", "The name typed did not match the queue: nothing was purged.");

    private OpsMessages() {
    }

    static String notice(String code) {
        return code == null ? null : NOTICES.get(code);
    }

    static String problem(String code) {
        return code == null ? null : PROBLEMS.get(code);
    }

    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /** A short age: "4 s", "3 min", "2 h". */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }
}
