package dev.stepbystep.testing;


import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Enqueues jobs from outside any service, with the very script the queue client uses
 * (job-queue's jobs/enqueue.lua, as {@code LuaSource.resolve} gives it: test-support is built
 * before job-queue, so the caller hands it over), for tests and benchmarks that run packaged
 * workers.
 */
public final class ExternalProducer {

    private final RespClient redis;
    private final String prefix;
    private final String sha;

    /** {@code enqueueScript}: the source of jobs/enqueue.lua with its includes resolved. */
    public ExternalProducer(RespClient redis, String prefix, String enqueueScript) {
        this.redis = redis;
        this.prefix = prefix;
        this.sha = (String) redis.call("SCRIPT", "LOAD", enqueueScript);
    }

    /** Enqueues {@code count} jobs of {@code task} on "default" in pipelined batches; returns their ids. */
    public List<String> enqueue(String task, String payloadJson, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int done = 0; done < count; ) {
            int n = Math.min(500, count - done);
            List<List<String>> batch = new ArrayList<>(n);
            long now = System.currentTimeMillis();
            for (int i = 0; i < n; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                batch.add(List.of("EVALSHA", sha, "5", prefix + ":job:" + id, prefix + ":q:default", prefix + ":delayed:default", "",
                        prefix + ":queues", id, task, "default", payloadJson, "3", "60000", Long.toString(now), Long.toString(now), "", "60", ""));
            }
            for (Object reply : redis.pipeline(batch)) {
                if (reply instanceof RespClient.RedisError error) {
                    throw new IllegalStateException(error.message());
                }
            }
            done += n;
        }
        return ids;
    }

    /** True when {@code queue} has nothing waiting, running or delayed. */
    public boolean queueEmpty(String queue) {
        List<Object> r = redis.pipeline(List.of(List.of("XLEN", prefix + ":q:" + queue), List.of("ZCARD", prefix + ":delayed:" + queue)));
        return ((Long) r.get(0)) == 0 && ((Long) r.get(1)) == 0;
    }

    public String state(String id) {
        return (String) redis.call("HGET", prefix + ":job:" + id, "state");
    }

    public String field(String id, String field) {
        return (String) redis.call("HGET", prefix + ":job:" + id, field);
    }

    /** How many of {@code ids} are in {@code state}. */
    public long count(List<String> ids, String state) {
        long n = 0;
        for (int i = 0; i < ids.size(); i += 1000) {
            List<List<String>> batch = ids.subList(i, Math.min(ids.size(), i + 1000)).stream()
                    .map(id -> List.of("HGET", prefix + ":job:" + id, "state")).toList();
            n += redis.pipeline(batch).stream().filter(state::equals).count();
        }
        return n;
    }
}
