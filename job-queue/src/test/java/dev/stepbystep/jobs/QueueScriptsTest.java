package dev.stepbystep.jobs;

import dev.stepbystep.jobs.client.PreparedJob;

import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.RedisKeys;
import dev.stepbystep.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each queue script run against Redis states made by hand: the states a crash, a lapsed lease, a
 * duplicate entry or an expired hash leave behind, with the keys each run leaves asserted.
 */
class QueueScriptsTest {

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final String prefix = "scripts-" + UUID.randomUUID().toString().substring(0, 8);
    private final KeySchema keys = new KeySchema(prefix);
    private final String stream = keys.stream("default");
    private RespClient redis;

    @BeforeEach
    void connect() {
        redis = RespClient.connect(services);
        redis.call("XGROUP", "CREATE", stream, "workers", "0", "MKSTREAM");
    }

    @AfterEach
    void cleanUp() {
        redis.close();
        RedisKeys.deleteAll(services, prefix + ":*");
    }

    private Object run(String script, List<String> keys, List<String> args) {
        List<String> command = new ArrayList<>(List.of("EVAL", source(script), Integer.toString(keys.size())));
        command.addAll(keys);
        command.addAll(args);
        Object reply = redis.pipeline(List.of(command)).get(0);
        assertThat(reply).as("%s answered an error", script).isNotInstanceOf(RespClient.RedisError.class);
        return reply;
    }

    private static String source(String script) {
        return LuaSource.resolve("jobs/" + script + ".lua");
    }

    private PreparedJob job(String id, boolean viaOutbox, String idempotencyKey) {
        long now = System.currentTimeMillis();
        return new PreparedJob(id, "core.debug_task", "default", "{\"sleepMs\":0}", 3, 60_000, now, now, 7L, idempotencyKey, viaOutbox);
    }

    @SuppressWarnings("unchecked")
    private List<Object> enqueue(PreparedJob job) {
        return (List<Object>) run("enqueue", job.keys(keys), job.args(60));
    }

    /** A job hash as a map. */
    @SuppressWarnings("unchecked")
    private Map<String, String> hash(String id) {
        List<Object> flat = (List<Object>) redis.call("HGETALL", keys.job(id));
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return map;
    }

    /** Reads one new entry as {@code consumer}; returns its stream id. */
    @SuppressWarnings("unchecked")
    private String deliver(String consumer) {
        List<Object> streams = (List<Object>) redis.call("XREADGROUP", "GROUP", "workers", consumer, "COUNT", "1", "STREAMS", stream, ">");
        List<Object> entries = (List<Object>) ((List<Object>) streams.get(0)).get(1);
        return (String) ((List<Object>) entries.get(0)).get(0);
    }

    /** The consumer a pending entry belongs to, or null when it is not pending. */
    @SuppressWarnings("unchecked")
    private String owner(String streamId) {
        List<Object> p = (List<Object>) redis.call("XPENDING", stream, "workers", streamId, streamId, "1");
        return p.isEmpty() ? null : (String) ((List<Object>) p.get(0)).get(1);
    }

    private void mark(String id, String sid, int attempt, String worker) {
        run("mark", List.of(), List.of(prefix, "default", Long.toString(System.currentTimeMillis()), worker, id, sid, Integer.toString(attempt)));
    }

    private long finish(String id, String sid, int attempt, String outcome) {
        return (Long) run("finish", List.of(), List.of(prefix, "default", Long.toString(System.currentTimeMillis()), "60",
                id, sid, Integer.toString(attempt), outcome, "{}", "0"));
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>> start(String worker, String id, String sid) {
        return (List<List<Object>>) run("start", List.of(), List.of(prefix, "default", Long.toString(System.currentTimeMillis()), worker, id, sid));
    }

    /** Worker b takes over a's entry, as XAUTOCLAIM does once a's lease lapsed. */
    private void reclaim(String sid, String by) {
        redis.call("XCLAIM", stream, "workers", by, "0", sid);
    }

    /** The fields of the newest entry of the stream. */
    @SuppressWarnings("unchecked")
    private Map<String, String> newestEntry() {
        List<Object> entries = (List<Object>) redis.call("XREVRANGE", stream, "+", "-", "COUNT", "1");
        List<Object> flat = (List<Object>) ((List<Object>) entries.get(0)).get(1);
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return map;
    }

    @Test
    void theEnqueuesTraceTravelsWithTheJobThroughEveryDelivery() {
        String trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        long now = System.currentTimeMillis();
        String id = UUID.randomUUID().toString();
        enqueue(new PreparedJob(id, "core.debug_task", "default", "{}", 3, 60_000, now, now, null, "", false, trace));
        assertThat(hash(id)).containsEntry("trace", trace);
        assertThat(newestEntry()).containsEntry("trace", trace);

        // A requeue (hand-back at shutdown) delivers it again with the same trace.
        String sid = deliver("a");
        mark(id, sid, 1, "a");
        assertThat(finish(id, sid, 1, "requeue")).isEqualTo(1L);
        assertThat(newestEntry()).containsEntry("id", id).containsEntry("trace", trace);
        // A reclaimed entry goes through start.lua, which reads the trace from the hash.
        String again = deliver("a");
        reclaim(again, "b");
        assertThat(start("b", id, again).get(0)).containsExactly(id, again, "run", 1L, "core.debug_task", "{}", "3", "60000",
                hash(id).get("ready_at"), trace);

        // A delayed job (and so a retry after its backoff) is promoted with it; bulk enqueues carry it too.
        String delayed = UUID.randomUUID().toString();
        enqueue(new PreparedJob(delayed, "core.debug_task", "default", "{}", 3, 60_000, now - 10, now - 5, null, "", false, trace));
        redis.call("ZADD", keys.delayed("default"), Long.toString(now - 5), delayed);
        run("promote", List.of(), List.of(prefix, "default", Long.toString(System.currentTimeMillis()), "10"));
        assertThat(newestEntry()).containsEntry("id", delayed).containsEntry("trace", trace);

        String untraced = UUID.randomUUID().toString();
        enqueue(job(untraced, false, ""));
        assertThat(hash(untraced)).doesNotContainKey("trace");
        assertThat(newestEntry()).containsEntry("id", untraced).doesNotContainKey("trace");
    }

    @SuppressWarnings("unchecked")
    private List<Object> cancel(String id) {
        return (List<Object>) run("cancel", List.of(), List.of(prefix, id, Long.toString(System.currentTimeMillis()), "60"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void cancelTakesBackAJobNoWorkerHasReadAndOnlySuchAJob() {
        String queued = UUID.randomUUID().toString();
        String read = UUID.randomUUID().toString();
        enqueue(job(read, false, ""));
        enqueue(job(queued, false, ""));
        String readSid = deliver("a"); // the older one: a worker has it, not yet marked running

        assertThat(cancel(queued)).containsExactly("cancelled", "cancelled");
        assertThat(hash(queued)).containsEntry("state", "cancelled").containsKey("finished_at");
        assertThat((Long) redis.call("TTL", keys.job(queued))).isBetween(1L, 60L);
        assertThat(redis.call("XLEN", stream)).as("its entry is gone").isEqualTo(1L);
        assertThat((List<Object>) redis.call("XREADGROUP", "GROUP", "workers", "b", "COUNT", "10", "STREAMS", stream, ">"))
                .as("no worker reads it").isNull();

        assertThat(cancel(read)).containsExactly("too_late", "running");
        assertThat(owner(readSid)).isEqualTo("a");
        assertThat(hash(read)).containsEntry("state", "queued");
        assertThat(cancel(queued)).containsExactly("too_late", "cancelled");
        assertThat(cancel(UUID.randomUUID().toString())).containsExactly("not_found", "");

        // Delayed (an ETA, or a retry's backoff): out of the delayed set, so never promoted.
        String delayed = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        enqueue(new PreparedJob(delayed, "core.debug_task", "default", "{}", 3, 60_000, now, now + 3_600_000, null, "", false));
        assertThat(cancel(delayed)).containsExactly("cancelled", "cancelled");
        assertThat((Long) redis.call("ZCARD", keys.delayed("default"))).isZero();

        // A stray entry of a cancelled job (a duplicate) is dropped at the mark, and never runs again.
        redis.call("XADD", stream, "*", "id", queued, "attempt", "1", "task", "core.debug_task", "payload", "{}");
        String stray = deliver("a");
        mark(queued, stray, 1, "a");
        assertThat(hash(queued)).containsEntry("state", "cancelled");
        assertThat(owner(stray)).as("dropped and acknowledged").isNull();
        assertThat(owner(readSid)).isEqualTo("a");
    }

    @Test
    @SuppressWarnings("unchecked")
    void enqueueCreatesTheHashAndEntryOnce() {
        String id = UUID.randomUUID().toString();
        assertThat(enqueue(job(id, false, ""))).containsExactly(id, 1L);
        assertThat(hash(id)).containsEntry("state", "queued").containsEntry("attempts", "0").containsEntry("owner", "7");
        assertThat(redis.call("XLEN", stream)).isEqualTo(1L);
        assertThat((List<Object>) redis.call("SMEMBERS", keys.queues())).containsExactly("default");
    }

    @Test
    void anIdempotencyKeyAlreadyUsedAnswersTheFirstJob() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        enqueue(job(first, false, "slot-1"));
        assertThat(enqueue(job(second, false, "slot-1"))).containsExactly(first, 0L);
        assertThat(hash(second)).isEmpty();
        assertThat(redis.call("XLEN", stream)).isEqualTo(1L);
    }

    @Test
    void anOutboxRowPushedTwiceMakesOneJobEvenAfterItsHashExpired() {
        String id = UUID.randomUUID().toString();
        assertThat(enqueue(job(id, true, ""))).containsExactly(id, 1L);
        assertThat(enqueue(job(id, true, ""))).as("the relay's second push").containsExactly(id, 0L);
        redis.call("DEL", keys.job(id)); // the job ran and its result expired
        assertThat(enqueue(job(id, true, ""))).containsExactly(id, 0L);
        assertThat(hash(id)).isEmpty();
        assertThat(redis.call("XLEN", stream)).isEqualTo(1L);
    }

    @Test
    void aDeliveryWhoseHashIsMissingIsDroppedByMark() {
        String id = UUID.randomUUID().toString();
        enqueue(job(id, false, ""));
        String sid = deliver("a");
        redis.call("DEL", keys.job(id));
        mark(id, sid, 1, "a");
        assertThat(hash(id)).isEmpty();
        assertThat(owner(sid)).isNull();
        assertThat(redis.call("XLEN", stream)).isEqualTo(0L);
    }

    @Test
    void aDuplicateEntryOfAFinishedJobIsDroppedAndItsOutcomeIgnored() {
        String id = UUID.randomUUID().toString();
        enqueue(job(id, false, ""));
        String sid = deliver("a");
        mark(id, sid, 1, "a");
        assertThat(finish(id, sid, 1, "ok")).isEqualTo(1L);
        assertThat(hash(id)).containsEntry("state", "succeeded");
        // A second entry for the same job (e.g. a hand-back raced with a finish).
        redis.call("XADD", stream, "*", "id", id, "attempt", "1", "task", "core.debug_task", "payload", "{}", "max_retries", "3",
                "time_limit_ms", "60000", "ready_at", "0");
        String duplicate = deliver("b");
        mark(id, duplicate, 1, "b");
        assertThat(finish(id, duplicate, 1, "ok")).isZero();
        assertThat(hash(id)).containsEntry("state", "succeeded").containsEntry("worker", "a");
        assertThat(redis.call("XLEN", stream)).isEqualTo(0L);
    }

    @Test
    void aStaleOutcomeLeavesTheNewOwnersDeliveryPending() {
        String id = UUID.randomUUID().toString();
        enqueue(job(id, false, ""));
        String sid = deliver("a");
        mark(id, sid, 1, "a");
        reclaim(sid, "b");
        assertThat(start("b", id, sid)).singleElement().satisfies(row -> assertThat(row.get(2)).isEqualTo("run"));
        assertThat(hash(id)).containsEntry("attempts", "2").containsEntry("worker", "b");

        assertThat(finish(id, sid, 1, "ok")).as("a's outcome is for attempt 1").isZero();
        assertThat(hash(id)).containsEntry("state", "running").containsEntry("attempts", "2");
        assertThat(owner(sid)).as("b's delivery is still pending for b").isEqualTo("b");

        assertThat(finish(id, sid, 2, "ok")).isEqualTo(1L);
        assertThat(hash(id)).containsEntry("state", "succeeded");
        assertThat(owner(sid)).isNull();
        assertThat(redis.call("XLEN", stream)).isEqualTo(0L);
    }

    @Test
    void aLateMarkDoesNotTakeBackAJobAnotherWorkerRedelivered() {
        String id = UUID.randomUUID().toString();
        enqueue(job(id, false, ""));
        String sid = deliver("a");
        reclaim(sid, "b"); // a stalled before marking its fresh delivery
        start("b", id, sid);
        assertThat(hash(id)).containsEntry("attempts", "1").containsEntry("worker", "b");
        mark(id, sid, 1, "a");
        assertThat(hash(id)).containsEntry("attempts", "1").containsEntry("worker", "b");
        assertThat(owner(sid)).isEqualTo("b");
    }

    @Test
    void startSkipsAnEntryThatIsNoLongerTheCallers() {
        String id = UUID.randomUUID().toString();
        enqueue(job(id, false, ""));
        String sid = deliver("a");
        reclaim(sid, "b");
        assertThat(start("a", id, sid)).singleElement().satisfies(row -> assertThat(row.get(2)).isEqualTo("skip"));
        assertThat(hash(id)).containsEntry("state", "queued").containsEntry("attempts", "0");
        assertThat(owner(sid)).isEqualTo("b");
    }

    @Test
    void startDropsTheDeliveryOfAFinalJob() {
        String id = UUID.randomUUID().toString();
        enqueue(job(id, false, ""));
        String sid = deliver("a");
        redis.call("HSET", keys.job(id), "state", "dead");
        assertThat(start("a", id, sid)).singleElement().satisfies(row -> assertThat(row.get(2)).isEqualTo("skip"));
        assertThat(owner(sid)).isNull();
        assertThat(redis.call("XLEN", stream)).isEqualTo(0L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void renewResetsTheIdleTimeOfOwnEntriesAndReportsLostOnes() throws Exception {
        String mine = UUID.randomUUID().toString();
        String taken = UUID.randomUUID().toString();
        enqueue(job(mine, false, ""));
        enqueue(job(taken, false, ""));
        String mineSid = deliver("a");
        String takenSid = deliver("a");
        reclaim(takenSid, "b");
        org.awaitility.Awaitility.await().until(() -> idle(mineSid) >= 50);

        assertThat((List<Object>) run("renew", List.of(stream), List.of("a", mineSid, takenSid))).containsExactly(takenSid);
        assertThat(idle(mineSid)).isLessThan(50);
        assertThat(owner(mineSid)).isEqualTo("a");
        assertThat(owner(takenSid)).as("not taken back").isEqualTo("b");
        List<Object> pending = (List<Object>) redis.call("XPENDING", stream, "workers", mineSid, mineSid, "1");
        assertThat(((List<Object>) pending.get(0)).get(3)).as("a renewal is not a delivery").isEqualTo(1L);
    }

    @SuppressWarnings("unchecked")
    private long idle(String sid) {
        List<Object> p = (List<Object>) redis.call("XPENDING", stream, "workers", sid, sid, "1");
        return (Long) ((List<Object>) p.get(0)).get(2);
    }

    @Test
    void promoteMovesDueJobsAndSkipsMissingHashes() {
        String due = UUID.randomUUID().toString();
        String gone = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        enqueue(new PreparedJob(due, "core.debug_task", "default", "{}", 3, 60_000, now - 10, now - 5, null, "", false));
        redis.call("ZADD", keys.delayed("default"), Long.toString(now - 5), due);
        redis.call("ZADD", keys.delayed("default"), Long.toString(now - 5), gone);
        List<?> r = (List<?>) run("promote", List.of(), List.of(prefix, "default", Long.toString(now), "10"));
        assertThat(r.get(0)).isEqualTo(2L);
        assertThat(redis.call("ZCARD", keys.delayed("default"))).isEqualTo(0L);
        assertThat(redis.call("XLEN", stream)).as("an entry for the due job only").isEqualTo(1L);
    }

    @Test
    void retryDeadRequeuesOnlyJobsWhoseHashStillExists() {
        String dead = UUID.randomUUID().toString();
        String expired = UUID.randomUUID().toString();
        enqueue(job(dead, false, ""));
        String sid = deliver("a");
        mark(dead, sid, 1, "a");
        finish(dead, sid, 1, "dead");
        redis.call("ZADD", keys.dead("default"), "1", expired);
        assertThat(run("retry_dead", List.of(), List.of(prefix, "default", Long.toString(System.currentTimeMillis()), "*", "10"))).isEqualTo(1L);
        assertThat(hash(dead)).containsEntry("state", "queued").containsEntry("attempts", "0");
        assertThat(redis.call("ZCARD", keys.dead("default"))).isEqualTo(0L);
        assertThat(redis.call("XLEN", stream)).isEqualTo(1L);
    }

    @Test
    void purgeDeadDeletesTheDeadJobsAndTheirHashes() {
        String dead = UUID.randomUUID().toString();
        enqueue(job(dead, false, ""));
        String sid = deliver("a");
        mark(dead, sid, 1, "a");
        finish(dead, sid, 1, "dead");
        assertThat(run("purge_dead", List.of(), List.of(prefix, "default", "10"))).isEqualTo(1L);
        assertThat(hash(dead)).isEmpty();
        assertThat(redis.call("ZCARD", keys.dead("default"))).isEqualTo(0L);
    }

    @Test
    void eachStartIsARunWithItsWorkerAttemptAndEndAcrossATakeOverAndADeadLetterRetry() {
        String id = UUID.randomUUID().toString();
        enqueue(job(id, false, ""));
        String sid = deliver("a");
        mark(id, sid, 1, "a");
        reclaim(sid, "b"); // a's lease lapsed: b takes the job over
        start("b", id, sid);
        run("finish", List.of(), List.of(prefix, "default", Long.toString(System.currentTimeMillis()), "60",
                id, sid, "2", "dead", "IllegalStateException: boom with spaces", "0"));
        run("retry_dead", List.of(), List.of(prefix, "default", Long.toString(System.currentTimeMillis()), id, "1"));
        String again = deliver("c");
        mark(id, again, 1, "c");
        finish(id, again, 1, "ok");

        dev.stepbystep.jobs.client.JobStatus status = dev.stepbystep.jobs.client.JobStatus.fromHash(hash(id));
        assertThat(status.revivedAt()).isNotNull();
        assertThat(status.payload()).isEqualTo("{\"sleepMs\":0}");
        assertThat(status.runs()).extracting(r -> r.number() + " " + r.attempt() + " " + r.worker() + " " + r.outcome() + " " + r.error())
                .containsExactly("1 1 a null null", "2 2 b dead IllegalStateException: boom with spaces", "3 1 c ok null");
        assertThat(status.runs().get(0).endedAt()).as("a's run ended with a, unrecorded").isNull();
        assertThat(status.runs().get(2).endedAt()).isNotNull();
    }

    @Test
    void onlyTheLastTwentyRunsAreKept() {
        String id = UUID.randomUUID().toString();
        enqueue(job(id, false, ""));
        String sid = deliver("a");
        for (int attempt = 1; attempt <= 25; attempt++) {
            mark(id, sid, attempt, "w" + attempt);
            run("finish", List.of(), List.of(prefix, "default", Long.toString(System.currentTimeMillis()), "60",
                    id, sid, Integer.toString(attempt), "requeue", "", "0"));
            sid = deliver("a");
            redis.call("HSET", keys.job(id), "attempts", Integer.toString(attempt));
        }
        Map<String, String> hash = hash(id);
        assertThat(hash.keySet().stream().filter(k -> k.startsWith("run:"))).hasSize(20);
        assertThat(hash.keySet().stream().filter(k -> k.startsWith("end:"))).hasSize(20);
        assertThat(dev.stepbystep.jobs.client.JobStatus.fromHash(hash).runs()).hasSize(20)
                .first().satisfies(r -> assertThat(r.worker()).isEqualTo("w6"));
    }
}
