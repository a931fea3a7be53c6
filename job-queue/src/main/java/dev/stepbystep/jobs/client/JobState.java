package dev.stepbystep.jobs.client;

/**
 * Life of a job: {@code queued} (waiting, possibly until its ETA) → {@code running} →
 * {@code succeeded}, or {@code retrying} (an attempt failed and a retry is scheduled) →
 * {@code running} …, or {@code dead} (no retries left, or poison) until retried or purged.
 */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, RETRYING, DEAD;

    public String wire() {
        return name().toLowerCase();
    }

    public static JobState fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
