package dev.stepbystep.jobs;


import java.util.regex.Pattern;

/**
 * Every Redis key the project uses, all under one prefix ({@code app.queue.prefix}, default
 * {@code sbs}), so one Redis can hold several deployments and a test can delete what it
 * made. Nothing else builds a key ({@code KeySchemaUsageTest} fails the build when something
 * does); docs/architecture.md lists them with their types and lifetimes.
 *
 * <p>The queue's Lua scripts still derive a job's own keys from the prefix they get in ARGV
 * ({@code <prefix>:job:<id>}, {@code :q:}, {@code :delayed:}, {@code :dead:}), by the same layout
 * as {@link #job}, {@link #stream}, {@link #delayed} and {@link #dead}.
 */
public record KeySchema(String prefix) {

    public static final String GROUP = "workers";
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f-]{36}");

    // --- the queue ------------------------------------------------------------------------------

    /** Hash: one job's state, payload, attempts, timestamps, result or error. */
    public String job(String id) {
        return prefix + ":job:" + id;
    }

    /** Stream with consumer group {@link #GROUP}: a queue's deliverable jobs. */
    public String stream(String queue) {
        return prefix + ":q:" + queue;
    }

    /** Sorted set by due time: a queue's delayed jobs (countdown, ETA, retry backoff). */
    public String delayed(String queue) {
        return prefix + ":delayed:" + queue;
    }

    /** Sorted set by death time: a queue's dead letters. */
    public String dead(String queue) {
        return prefix + ":dead:" + queue;
    }

    /** String: the job id an idempotency key was first enqueued as (idempotency TTL). */
    public String idempotency(String key) {
        return prefix + ":idem:" + key;
    }

    /** Set when an outbox row's job is pushed: a second push of the same row (the relay's) creates nothing. */
    public String outboxMarker(String jobId) {
        return prefix + ":outbox:" + jobId;
    }

    /** Hash with a TTL: one queue's counts for one minute (jobs done, failed, wait-time bins), written by workers. */
    public String queueMinute(String queue, long minute) {
        return prefix + ":stats:" + queue + ":" + minute;
    }

    /** Sorted set by last heartbeat (epoch ms): the worker processes that reported lately. */
    public String workers() {
        return prefix + ":workers";
    }

    /** Hash with a TTL: one worker process's heartbeat (host, version, queues, concurrency, jobs in flight). */
    public String worker(String workerId) {
        return prefix + ":worker:" + workerId;
    }

    /** Set: the names of every queue a job was ever enqueued on. */
    public String queues() {
        return prefix + ":queues";
    }

    /** String: set once a job's side effect of this kind happened (e.g. its email was sent), so a redelivery does not repeat it. */
    public String done(String kind, String jobId) {
        return prefix + ":done:" + kind + ":" + jobId;
    }

    // --- beat -----------------------------------------------------------------------------------

    /** Hash of beat's schedules (name → JSON with last and next fire time), written by beat, read by web. */
    public String beatSchedules() {
        return prefix + ":beat:schedules:all";
    }

    /** String: beat's record of one schedule ({@code kind} e.g. {@code last}: the last slot fired). */
    public String beatSchedule(String kind, String name) {
        return prefix + ":beat:" + kind + ":" + name;
    }

    /** String: the replica that publishes queue-depth metrics for one interval slot. */
    public String beatPublishClaim(long slot) {
        return prefix + ":beat:publish:" + slot;
    }

    // --- web ------------------------------------------------------------------------------------

    /** Sorted set of attempt times: one rate limit's window (login, sign-up, resend; {@code subject} names which and whose). */
    public String rateLimit(String subject) {
        return prefix + ":limit:" + subject;
    }

    /** String: when an account's access last changed (deactivated, demoted, password); older tokens stop working. */
    public String accessChange(long userId) {
        return prefix + ":access:" + userId;
    }

    /** String: a token id revoked by logout, until the token would have expired. */
    public String revokedToken(String jti) {
        return prefix + ":revoked:" + jti;
    }

    /** String counter: the post list cache's version; every committed post, like or author change bumps it. */
    public String postsVersion() {
        return prefix + ":posts:version";
    }

    /** Prefix of the cached post list pages (version, search, limit and offset follow). */
    public String postsPagePrefix() {
        return prefix + ":posts:page:";
    }

    /** Set: the post ids a user likes, as cached beside the pages. */
    public String postsLikedBy(long userId) {
        return prefix + ":posts:liked-by:" + userId;
    }

    /** String: the version of {@link #postsLikedBy}, bumped on the user's like toggles. */
    public String postsLikedByVersion(long userId) {
        return prefix + ":posts:liked-by:" + userId + ":v";
    }

    // --- validation -----------------------------------------------------------------------------

    public static String checkQueue(String queue) {
        if (!isQueueName(queue)) {
            throw new InvalidJobException("queue names are 1-64 letters, digits, '_', '.' or '-'");
        }
        return queue;
    }

    /** [A-Za-z0-9_.-]{1,64}, checked per character: it runs once per enqueued job. */
    public static boolean isQueueName(String queue) {
        if (queue == null || queue.isEmpty() || queue.length() > 64) {
            return false;
        }
        for (int i = 0; i < queue.length(); i++) {
            char c = queue.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public static boolean isJobId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
    }
}
