package dev.stepbystep.jobs.client;

/**
 * A queue's backlog: {@code depth} jobs wait to be fetched, {@code inFlight} are held by
 * workers, {@code delayed} wait for their ETA or retry time, {@code dead} are dead-lettered.
 */
public record QueueStats(String queue, long depth, long inFlight, long delayed, long dead) {
}
