package dev.stepbystep.jobs.broker;

/**
 * A job handed to a worker by the stream: still pending in the consumer group until finished.
 *
 * @param job the job as its stream entry describes it, ready to run before it is marked running
 *            ({@link WorkerBroker#mark}); null for an entry that names only the job id (written
 *            by an older version) or a redelivery, which go through {@link WorkerBroker#start}
 */
public record Delivery(String queue, String streamId, String jobId, StartedJob job) {
}
