package dev.stepbystep.shared.jobs;

import java.util.regex.Pattern;

/** Redis key names of the queue, all under one prefix. */
public record QueueKeys(String prefix) {

    public static final String GROUP = "workers";
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f-]{36}");

    public String job(String id) {
        return prefix + ":job:" + id;
    }

    public String stream(String queue) {
        return prefix + ":q:" + queue;
    }

    public String delayed(String queue) {
        return prefix + ":delayed:" + queue;
    }

    public String dead(String queue) {
        return prefix + ":dead:" + queue;
    }

    public String idempotency(String key) {
        return prefix + ":idem:" + key;
    }

    /** Set when an outbox row's job is pushed: a second push of the same row (the relay's) creates nothing. */
    public String outboxMarker(String jobId) {
        return prefix + ":outbox:" + jobId;
    }

    public String queues() {
        return prefix + ":queues";
    }

    /** Hash of beat's schedules (name → JSON with last and next fire time), written by beat, read by web. */
    public String beatSchedules() {
        return prefix + ":beat:schedules:all";
    }

    public String marker(String kind, String jobId) {
        return prefix + ":done:" + kind + ":" + jobId;
    }

    public static String checkQueue(String queue) {
        if (queue == null || !QUEUE_NAME.matcher(queue).matches()) {
            throw new InvalidJobException("queue names are 1-64 letters, digits, '_', '.' or '-'");
        }
        return queue;
    }

    public static boolean isJobId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
    }
}
