package dev.stepbystep.jobs.broker;

/** A delivered job marked running, with what the worker needs to run it. */
public record StartedJob(String queue, String streamId, String jobId, int attempt, String task, String payload,
                         int maxRetries, long timeLimitMs, long readyAtMs) {
}
