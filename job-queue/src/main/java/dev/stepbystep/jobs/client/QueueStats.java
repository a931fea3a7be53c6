package dev.stepbystep.jobs.client;

/**
 * A queue's backlog: {@code depth} jobs wait to be fetched, {@code inFlight} are held by
 * workers, {@code delayed} wait for their ETA or retry time, {@code dead} are dead-lettered;
 * {@code oldestWaitingMs} is how long the oldest of the waiting jobs has been ready (0 when none
 * waits): what an alarm on a stuck or under-scaled worker fleet watches.
 */
public record QueueStats(String queue, long depth, long inFlight, long delayed, long dead, long oldestWaitingMs) {
}
