package dev.stepbystep.jobs;

/** Redis did not answer: nothing was enqueued or changed. Callers answer 503 and retry later. */
public class QueueUnavailableException extends RuntimeException {
    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
