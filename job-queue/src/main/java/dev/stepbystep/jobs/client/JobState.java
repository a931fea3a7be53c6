package dev.stepbystep.jobs.client;

/**
 * Life of a job: {@code queued} (waiting, possibly until its ETA) → {@code running} →
 * {@code succeeded}, or {@code retrying} (an attempt failed and a retry is scheduled) →
 * {@code running} …, or {@code dead} (no retries left, or poison) until retried or purged. A job no
 * worker has taken yet (queued, or retrying and waiting for its backoff) can be {@code cancelled}:
 * final, never run (again).
 */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, RETRYING, DEAD, CANCELLED;

    /** Nothing more will happen to the job. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static JobState fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
