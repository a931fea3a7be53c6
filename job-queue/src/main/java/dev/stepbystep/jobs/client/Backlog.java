package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.RedisResponses;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.util.List;
import java.util.Locale;

/**
 * Reads a queue's backlog ({@link QueueStats}): the counts (one batch), jobs in flight
 * ({@code XPENDING}) and the age of the oldest waiting job ({@code XINFO GROUPS}, one {@code XRANGE}
 * entry): a bounded number of commands whatever the backlog, as the operators' overview needs.
 * A queue nothing was ever enqueued on, or one purged meanwhile, is empty, not an error.
 */
final class Backlog {

    private final JobQueue jobs;
    private final KeySchema keys;

    Backlog(JobQueue jobs, KeySchema keys) {
        this.jobs = jobs;
        this.keys = keys;
    }

    QueueStats read(String queue) {
        KeySchema.checkQueue(queue);
        List<Response> r = JobQueue.call("stats", () -> jobs.redis.batch(List.of(
                Request.cmd(Command.ZCARD).arg(keys.delayed(queue)),
                Request.cmd(Command.ZCARD).arg(keys.dead(queue)),
                Request.cmd(Command.XLEN).arg(keys.stream(queue)))).await().atMost(jobs.config.redisTimeout()));
        long length = r.get(2).toLong();
        // XPENDING refuses a stream that does not exist (a queue nothing was ever enqueued on, or
        // one purged meanwhile): such a queue is empty, not an error.
        Response p = length == 0 ? null : JobQueue.call("stats", () -> pendingSummary(queue));
        long pending = p == null || p.size() == 0 ? 0 : p.get(0).toLong();
        long depth = Math.max(0, length - pending);
        long oldest = depth == 0 ? 0 : JobQueue.call("stats", () -> oldestWaitingMs(queue));
        return new QueueStats(queue, depth, pending, r.get(0).toLong(), r.get(1).toLong(), oldest);
    }

    private Response pendingSummary(String queue) {
        try {
            return jobs.send(Request.cmd(Command.XPENDING).arg(keys.stream(queue)).arg(KeySchema.GROUP));
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().contains("NOGROUP")) {
                return null;
            }
            throw e;
        }
    }

    /**
     * How long the oldest job not yet delivered to any worker has waited: the first stream entry
     * after the group's last delivered one (acknowledged entries are deleted, so the stream holds
     * only jobs in flight and jobs waiting). An entry's id is the time it was added: when the job
     * was enqueued, or promoted from its ETA or retry backoff. Two commands, whatever the backlog.
     */
    private long oldestWaitingMs(String queue) {
        String stream = keys.stream(queue);
        String lastDelivered = "0-0";
        Response groups;
        try {
            groups = jobs.send(Request.cmd(Command.XINFO).arg("GROUPS").arg(stream));
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("no such key")) {
                return 0; // purged meanwhile
            }
            throw e;
        }
        for (Response group : groups) {
            String name = field(group, "name");
            if (KeySchema.GROUP.equals(name)) {
                String last = field(group, "last-delivered-id");
                lastDelivered = last == null ? lastDelivered : last;
            }
        }
        Response first = jobs.send(Request.cmd(Command.XRANGE).arg(stream).arg("(" + lastDelivered).arg("+").arg("COUNT").arg(1));
        if (first == null || first.size() == 0) {
            return 0;
        }
        String id = first.get(0).get(0).toString();
        long addedMs = Long.parseLong(id.substring(0, id.indexOf('-')));
        return Math.max(0, System.currentTimeMillis() - addedMs);
    }

    /** A field of an XINFO reply entry, RESP3 (a map) or RESP2 (a flat array); null when absent or nil. */
    private static String field(Response entry, String name) {
        if (RedisResponses.isMap(entry)) {
            Response v = entry.get(name);
            return v == null ? null : v.toString();
        }
        for (int i = 0; i + 1 < entry.size(); i += 2) {
            if (name.equals(entry.get(i).toString())) {
                Response v = entry.get(i + 1);
                return v == null ? null : v.toString();
            }
        }
        return null;
    }

}
