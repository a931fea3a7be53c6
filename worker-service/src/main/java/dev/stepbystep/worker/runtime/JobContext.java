package dev.stepbystep.worker.runtime;

/** Which job and attempt a handler is running. */
public record JobContext(String jobId, String queue, int attempt) {
}
