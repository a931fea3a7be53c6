package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.broker.Outcome;
import dev.stepbystep.jobs.broker.StartedJob;
import dev.stepbystep.jobs.TaskDefinition;

import java.util.Arrays;

/**
 * What becomes of an attempt, decided from the job and the task alone (no Redis, no clock but
 * the one passed in): refused before it runs (unknown task, delivered more often than its retry
 * budget allows), retried with full-jitter backoff, or dead.
 */
final class AttemptPolicy {

    private AttemptPolicy() {
    }

    /** The outcome of a job that must not run at all, or null when it may. {@code runnable}: a task and handler exist. */
    static Outcome refusal(StartedJob job, boolean runnable) {
        if (!runnable) {
            return new Outcome(job, Outcome.Kind.DEAD, "unknown task '" + job.task() + "': no handler in this worker", 0);
        }
        if (job.attempt() > job.maxRetries() + 1) {
            // Each delivery before this one ended without an outcome: the job kills its worker.
            return new Outcome(job, Outcome.Kind.DEAD, "delivered " + job.attempt() + " times without finishing "
                    + "(its worker died or was killed each time); not retried again", 0);
        }
        return null;
    }

    /**
     * A failed attempt: dead when the failure is permanent or the retries are used up, else a
     * retry after {@link TaskDefinition#backoff} ({@code random} in [0, 1) picks the jitter).
     */
    static Outcome failure(StartedJob job, TaskDefinition<?> task, String error, boolean permanent, long nowMs, double random) {
        if (permanent || job.attempt() > job.maxRetries()) {
            return new Outcome(job, Outcome.Kind.DEAD, error, 0);
        }
        return new Outcome(job, Outcome.Kind.RETRY, error, nowMs + task.backoff(job.attempt(), random).toMillis());
    }

    /** The error as the status API shows it: type, message, and the head of the stack, at most 4,000 characters. */
    static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(t.getClass().getName()).append(": ").append(t.getMessage());
        Arrays.stream(t.getStackTrace()).limit(5).forEach(frame -> s.append("\n\tat ").append(frame));
        return s.length() > 4000 ? s.substring(0, 4000) : s.toString();
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
