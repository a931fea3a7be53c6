package dev.stepbystep.worker.runtime;

/** Thrown by a handler when retrying cannot help (bad data, missing config): the job goes straight to dead. */
public class PermanentJobFailure extends RuntimeException {
    public PermanentJobFailure(String message) {
        super(message);
    }
}
