package dev.stepbystep.shared.jobs;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's side of the queue, on Redis Streams with one consumer group ("workers") per
 * queue: a blocking read hands out jobs and records them as pending in one step, so a job is
 * never only in a worker's memory; XAUTOCLAIM takes back jobs whose worker vanished.
 */
@ApplicationScoped
public class WorkerBroker {

    @Inject
    Redis redis;

    @Inject
    RedisScripts scripts;

    @Inject
    QueueConfig config;

    private QueueKeys keys() {
        return new QueueKeys(config.prefix());
    }

    /** Creates the queue's stream and consumer group when missing. */
    public void ensureGroup(String queue) {
        try {
            send(Request.cmd(Command.XGROUP).arg("CREATE").arg(keys().stream(queue)).arg(QueueKeys.GROUP).arg("0").arg("MKSTREAM"),
                    config.redisTimeout());
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Waits up to {@code block} for new jobs on any of {@code queues}; at most {@code count} per queue. */
    public List<Delivery> read(List<String> queues, String consumer, int count, Duration block) {
        Request request = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(QueueKeys.GROUP).arg(consumer)
                .arg("COUNT").arg(count).arg("BLOCK").arg(block.toMillis()).arg("STREAMS");
        queues.forEach(q -> request.arg(keys().stream(q)));
        queues.forEach(q -> request.arg(">"));
        Response r = send(request, block.plus(config.redisTimeout()));
        List<Delivery> out = new ArrayList<>();
        if (r == null) {
            return out;
        }
        if (RedisResponses.isMap(r)) {
            for (String stream : r.getKeys()) {
                entries(queueOf(stream), r.get(stream), out);
            }
        } else {
            for (Response streamAndEntries : r) {
                entries(queueOf(streamAndEntries.get(0).toString()), streamAndEntries.get(1), out);
            }
        }
        return out;
    }

    /** Takes over jobs pending longer than {@code minIdle} (their worker died or hung). */
    public List<Delivery> reclaim(String queue, String consumer, Duration minIdle, int count) {
        Response r = send(Request.cmd(Command.XAUTOCLAIM).arg(keys().stream(queue)).arg(QueueKeys.GROUP).arg(consumer)
                .arg(minIdle.toMillis()).arg("0-0").arg("COUNT").arg(count), config.redisTimeout());
        List<Delivery> out = new ArrayList<>();
        entries(queue, r.get(1), out);
        return out;
    }

    /** Marks deliveries running; drops (and acknowledges) those whose job is gone or already final. */
    public List<StartedJob> start(String queue, String worker, List<Delivery> deliveries) {
        List<String> args = new ArrayList<>(List.of(config.prefix(), queue, Long.toString(System.currentTimeMillis()), worker));
        for (Delivery d : deliveries) {
            args.add(d.jobId());
            args.add(d.streamId());
        }
        Response r = scripts.run(RedisScripts.Script.START, List.of(), args);
        List<StartedJob> started = new ArrayList<>();
        for (Response row : r) {
            if ("run".equals(row.get(2).toString())) {
                started.add(new StartedJob(queue, row.get(1).toString(), row.get(0).toString(), row.get(3).toInteger(),
                        str(row.get(4)), str(row.get(5)), parseInt(row.get(6)), parseLong(row.get(7)), parseLong(row.get(8))));
            }
        }
        return started;
    }

    /** Records outcomes (all of one queue) in one atomic step per job; returns how many applied. */
    public int finish(String queue, List<Outcome> outcomes) {
        List<String> args = new ArrayList<>(List.of(config.prefix(), queue, Long.toString(System.currentTimeMillis()),
                Long.toString(Math.max(1, config.resultTtl().toSeconds()))));
        for (Outcome o : outcomes) {
            args.add(o.job().jobId());
            args.add(o.job().streamId());
            args.add(Integer.toString(o.job().attempt()));
            args.add(o.kind().wire());
            args.add(o.data() == null ? "" : o.data());
            args.add(Long.toString(o.retryAtMs()));
        }
        return scripts.run(RedisScripts.Script.FINISH, List.of(), args).toInteger();
    }

    /** Moves due delayed jobs onto the queue; returns when the next one is due (epoch ms), or -1. */
    public long promote(String queue, int limit) {
        Response r = scripts.run(RedisScripts.Script.PROMOTE, List.of(),
                List.of(config.prefix(), queue, Long.toString(System.currentTimeMillis()), Integer.toString(limit)));
        return r.get(1).toLong();
    }

    private Response send(Request request, Duration timeout) {
        return redis.send(request).await().atMost(timeout);
    }

    private String queueOf(String stream) {
        return stream.substring(keys().stream("").length());
    }

    private static void entries(String queue, Response entries, List<Delivery> out) {
        if (entries == null) {
            return;
        }
        for (Response entry : entries) {
            Response fields = entry.get(1);
            if (fields == null) {
                continue; // deleted meanwhile
            }
            String jobId = RedisResponses.isMap(fields) ? fields.get("id").toString() : fields.get(1).toString();
            out.add(new Delivery(queue, entry.get(0).toString(), jobId));
        }
    }

    private static String str(Response r) {
        return r == null ? null : r.toString();
    }

    private static int parseInt(Response r) {
        return r == null ? 0 : Integer.parseInt(r.toString());
    }

    private static long parseLong(Response r) {
        return r == null ? 0 : Long.parseLong(r.toString());
    }
}
