package dev.stepbystep.jobs.broker;

/**
 * A delivered job marked running, with what the worker needs to run it.
 *
 * @param traceparent the W3C trace context of its enqueue, "" when none (see {@code TraceContext})
 */
public record StartedJob(String queue, String streamId, String jobId, int attempt, String task, String payload,
                         int maxRetries, long timeLimitMs, long readyAtMs, String traceparent) {

    public StartedJob {
        traceparent = traceparent == null ? "" : traceparent;
    }

    /** A job enqueued outside any trace. */
    public StartedJob(String queue, String streamId, String jobId, int attempt, String task, String payload,
                      int maxRetries, long timeLimitMs, long readyAtMs) {
        this(queue, streamId, jobId, attempt, task, payload, maxRetries, timeLimitMs, readyAtMs, "");
    }
}
