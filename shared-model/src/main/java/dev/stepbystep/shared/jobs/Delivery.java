package dev.stepbystep.shared.jobs;

/** A job handed to a worker by the stream: still pending in the consumer group until finished. */
public record Delivery(String queue, String streamId, String jobId) {
}
