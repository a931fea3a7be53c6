package dev.stepbystep.jobs.broker;

import dev.stepbystep.jobs.RedisResponses;
import io.vertx.mutiny.redis.client.Response;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Replies of the stream commands and scripts (RESP2 arrays or RESP3 maps) as the broker's records. */
final class StreamReplies {

    private StreamReplies() {
    }

    /**
     * Reads stream entries. With {@code fresh} (first deliveries), an entry that carries its job's
     * data becomes a runnable {@link StartedJob}; a redelivered entry's attempt number is stale,
     * so those go through {@link WorkerBroker#start} like entries that carry only the id.
     */
    static void entries(String queue, Response entries, boolean fresh, List<Delivery> out) {
        if (entries == null) {
            return;
        }
        for (Response entry : entries) {
            Response fields = entry.get(1);
            if (fields == null) {
                continue; // deleted meanwhile
            }
            entry(queue, entry.get(0).toString(), fieldMap(fields), fresh, out);
        }
    }

    static void entry(String queue, String streamId, Map<String, String> f, boolean fresh, List<Delivery> out) {
        String jobId = f.get("id");
        if (jobId == null) {
            return; // not a job entry: nothing to run, and finish would not recognise it
        }
        StartedJob job = null;
        if (fresh && f.get("task") != null && f.get("attempt") != null && f.get("payload") != null) {
            try {
                job = new StartedJob(queue, streamId, jobId, Integer.parseInt(f.get("attempt")), f.get("task"),
                        f.get("payload"), Integer.parseInt(f.getOrDefault("max_retries", "0")),
                        Long.parseLong(f.getOrDefault("time_limit_ms", "0")), Long.parseLong(f.getOrDefault("ready_at", "0")),
                        f.get("trace"));
            } catch (NumberFormatException e) {
                job = null; // let start.lua read the job's own hash
            }
        }
        out.add(new Delivery(queue, streamId, jobId, job));
    }

    static Map<String, String> fieldMap(Response fields) {
        Map<String, String> map = new HashMap<>();
        if (RedisResponses.isMap(fields)) {
            for (String k : fields.getKeys()) {
                map.put(k, str(fields.get(k)));
            }
        } else {
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                map.put(fields.get(i).toString(), str(fields.get(i + 1)));
            }
        }
        return map;
    }

    static String str(Response r) {
        return r == null ? null : r.toString();
    }

    static int parseInt(Response r) {
        return r == null ? 0 : Integer.parseInt(r.toString());
    }

    static long parseLong(Response r) {
        return r == null ? 0 : Long.parseLong(r.toString());
    }
}
