package dev.stepbystep.worker.runtime;

/**
 * Which job and attempt a handler is running.
 *
 * @param attempt    1 for the first run, 2 for the first retry, ...
 * @param maxRetries retries the job may have after its first attempt
 */
public record JobContext(String jobId, String queue, int attempt, int maxRetries) {

    public JobContext(String jobId, String queue, int attempt) {
        this(jobId, queue, attempt, 0);
    }

    /** True when a failure of this attempt sends the job to the dead letters rather than a retry. */
    public boolean lastAttempt() {
        return attempt > maxRetries;
    }
}
