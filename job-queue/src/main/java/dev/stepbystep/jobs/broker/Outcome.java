package dev.stepbystep.jobs.broker;

/**
 * How an attempt ended, to be recorded by {@link WorkerBroker#finish}.
 *
 * @param data      the result JSON (ok) or the error (retry, dead)
 * @param retryAtMs when a retry becomes due (retry only)
 */
public record Outcome(StartedJob job, Kind kind, String data, long retryAtMs) {

    public enum Kind {
        OK, RETRY, DEAD, REQUEUE;

        String wire() {
            return name().toLowerCase();
        }
    }
}
