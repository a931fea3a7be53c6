import dev.stepbystep.jobs.LuaSource;
import dev.stepbystep.testing.ExternalProducer;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.testing.RedisKeys;
import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.RespClient;

import java.sql.Connection;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Queue benchmark driver (run by bench/queue/run): one packaged worker process, an external
 * producer, and four measurements: drain of N no-op jobs (first enqueue to last finish),
 * enqueue rate (pipelined), enqueue-to-start latency at low load (one job every 10 ms), and the
 * cost of one enqueue per call, direct or in a transaction through the outbox.
 */
public class QueueBench {

    public static void main(String[] args) throws Exception {
        int jobs = 20_000;
        int concurrency = 64;
        int latencyJobs = 500;
        int warmupJobs = 50_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jobs" -> jobs = positive(args, ++i);
                case "--concurrency" -> concurrency = positive(args, ++i);
                case "--latency-jobs" -> latencyJobs = positive(args, ++i);
                case "--warmup-jobs" -> warmupJobs = positive(args, ++i);
                default -> usage("unknown argument " + args[i] + " (use --jobs N, --concurrency N, --latency-jobs N, --warmup-jobs N)");
            }
        }
        Path jar = Path.of("worker-service/target/quarkus-app/quarkus-run.jar");
        String redisHost = env("REDIS_SERVICE_HOST", "127.0.0.1");
        int redisPort = Integer.parseInt(env("REDIS_SERVICE_PORT", "6379"));
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        var endpoints = new BackingServices.Endpoints(env("POSTGRES_SERVICE_HOST", "localhost"),
                Integer.parseInt(env("POSTGRES_SERVICE_PORT", "5432")), env("POSTGRES_NAME", "postgres"),
                env("POSTGRES_USERNAME", "postgres"), env("POSTGRES_PASSWORD", "postgres"), redisHost, redisPort);

        Map<String, String> workerEnv = new HashMap<>(endpoints.asEnvironment());
        workerEnv.put("SECRET_KEY", "bench-" + UUID.randomUUID() + UUID.randomUUID());
        workerEnv.put("APP_QUEUE_PREFIX", prefix);
        workerEnv.put("WORKER_CONCURRENCY", Integer.toString(concurrency));
        workerEnv.put("QUARKUS_LOG_LEVEL", "WARN");

        try (RespClient redis = new RespClient(redisHost, redisPort);
             PackagedService worker = PackagedService.start(jar, workerEnv)) {
            run(redis, worker, prefix, endpoints, jobs, concurrency, latencyJobs, warmupJobs);
        } finally {
            RedisKeys.deleteAll(endpoints, prefix + ":*");
        }
    }

    private static void run(RespClient redis, PackagedService worker, String prefix, BackingServices.Endpoints endpoints,
                            int jobs, int concurrency, int latencyJobs, int warmupJobs) throws Exception {
        {
            ExternalProducer producer = new ExternalProducer(redis, prefix, LuaSource.resolve("jobs/enqueue.lua"));
            long deadline = System.currentTimeMillis() + 60_000;
            while (worker.status("/q/health/ready") != 200) {
                if (!worker.process().isAlive() || System.currentTimeMillis() > deadline) {
                    fail("worker did not become ready:\n" + worker.outputText());
                }
                Thread.sleep(100);
            }
            String noop = "{\"sleepMs\":0}";

            // Warm-up: JIT (C2 compiles the job path only after tens of thousands of jobs on two
            // busy cores), connection pools, script cache. Then the low-load path, where jobs
            // arrive one at a time and the reader runs them itself: a tenth as many jobs, paced
            // 0.5 ms apart, so that path is compiled too, as in a worker that has been up a while.
            List<String> warm = producer.enqueue("core.debug_task", noop, warmupJobs);
            awaitAll(producer, warm, Duration.ofSeconds(300));
            List<String> warmOneByOne = new ArrayList<>();
            for (int i = 0; i < Math.max(200, warmupJobs / 10); i++) {
                warmOneByOne.addAll(producer.enqueue("core.debug_task", noop, 1));
                Thread.sleep(0, 500_000);
            }
            awaitAll(producer, warmOneByOne, Duration.ofSeconds(120));

            // 1. Drain and enqueue rate.
            long t0 = System.currentTimeMillis();
            long e0 = System.nanoTime();
            List<String> ids = producer.enqueue("core.debug_task", noop, jobs);
            double enqueueSeconds = (System.nanoTime() - e0) / 1e9;
            awaitAll(producer, ids, Duration.ofSeconds(300));
            long last = 0;
            for (int i = 0; i < ids.size(); i += 1000) {
                List<List<String>> batch = ids.subList(i, Math.min(ids.size(), i + 1000)).stream()
                        .map(id -> List.of("HGET", prefix + ":job:" + id, "finished_at")).toList();
                for (Object f : redis.pipeline(batch)) {
                    last = Math.max(last, Long.parseLong((String) f));
                }
            }
            double drainSeconds = Math.max(1, last - t0) / 1000.0;

            // 2. Enqueue-to-start latency at low load: one job every 10 ms.
            Pattern started = Pattern.compile("\"started_at_us\":(\\d+)");
            Map<String, Long> enqueuedMicros = new HashMap<>();
            List<String> latencyIds = new ArrayList<>();
            for (int i = 0; i < latencyJobs; i++) {
                Instant now = Instant.now();
                String id = producer.enqueue("core.debug_task", noop, 1).get(0);
                enqueuedMicros.put(id, now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000);
                latencyIds.add(id);
                Thread.sleep(10);
            }
            awaitAll(producer, latencyIds, Duration.ofSeconds(60));
            double[] latencies = new double[latencyIds.size()];
            for (int i = 0; i < latencyIds.size(); i++) {
                Matcher m = started.matcher(producer.field(latencyIds.get(i), "result"));
                if (!m.find()) {
                    fail("job result has no started_at_us: " + producer.field(latencyIds.get(i), "result"));
                }
                latencies[i] = (Long.parseLong(m.group(1)) - enqueuedMicros.get(latencyIds.get(i))) / 1000.0;
            }
            Arrays.sort(latencies);

            // 3. One job per call, from one thread, as a web request enqueues: a direct enqueue (one
            // script call) against a transactional one as JobOutbox does it (a transaction with the
            // outbox row, the commit, then the push).
            int single = Math.max(200, Math.min(2000, jobs / 10));
            double directPerS = single / timed(() -> {
                for (int i = 0; i < single; i++) {
                    producer.enqueue("core.debug_task", noop, 1);
                }
            });
            List<String> outboxIds = new ArrayList<>();
            double outboxPerS;
            try (Connection db = DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.username(), endpoints.password())) {
                db.setAutoCommit(false);
                String sha = (String) redis.call("SCRIPT", "LOAD", LuaSource.resolve("jobs/enqueue.lua"));
                outboxPerS = single / timed(() -> {
                    for (int i = 0; i < single; i++) {
                        outboxIds.add(enqueueInTransaction(db, redis, sha, prefix, noop));
                    }
                });
                try (var clean = db.prepareStatement("delete from job_outbox where queue_prefix = ?")) {
                    clean.setString(1, prefix);
                    clean.executeUpdate();
                    db.commit();
                }
            }
            awaitAll(producer, outboxIds, Duration.ofSeconds(60));

            worker.terminate();
            worker.awaitExit(Duration.ofSeconds(30));
            double[] floor = floor(endpoints, prefix + ":floor", latencyJobs);

            System.out.printf("jobs=%d concurrency=%d warmup_jobs=%d drain_s=%.3f enqueue_s=%.3f latency_jobs=%d%n",
                    jobs, concurrency, warmupJobs, drainSeconds, enqueueSeconds, latencyJobs);
            System.out.printf("floor (bare XADD -> blocked XREADGROUP on a platform thread, same pacing): p50_ms=%.3f p99_ms=%.3f%n",
                    percentile(floor, 50), percentile(floor, 99));
            System.out.printf("one job per call (%d, one thread): direct_enqueue_jobs_per_s=%.0f in_transaction_enqueue_jobs_per_s=%.0f%n",
                    single, directPerS, outboxPerS);
            System.out.printf("drain_jobs_per_s=%.0f enqueue_jobs_per_s=%.0f p50_ms=%.3f p99_ms=%.3f%n",
                    jobs / drainSeconds, jobs / enqueueSeconds, percentile(latencies, 50), percentile(latencies, 99));
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double timed(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** One job the way JobOutbox enqueues it inside a transaction: the row, the commit, then the push with its marker. */
    private static String enqueueInTransaction(Connection db, RespClient redis, String sha, String prefix, String payload) throws Exception {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        try (var insert = db.prepareStatement("insert into job_outbox (id, queue_prefix, task, queue, payload, max_retries, "
                + "time_limit_ms, enqueued_at_ms, eta_ms) values (?, ?, 'core.debug_task', 'default', ?, 3, 60000, ?, ?)")) {
            insert.setObject(1, UUID.fromString(id));
            insert.setString(2, prefix);
            insert.setString(3, payload);
            insert.setLong(4, now);
            insert.setLong(5, now);
            insert.executeUpdate();
        }
        db.commit();
        Object reply = redis.call("EVALSHA", sha, "6", prefix + ":job:" + id, prefix + ":q:default", prefix + ":delayed:default", "",
                prefix + ":queues", prefix + ":outbox:" + id, id, "core.debug_task", "default", payload, "3", "60000",
                Long.toString(now), Long.toString(now), "", "86400", "");
        if (reply instanceof RespClient.RedisError e) {
            fail(e.message());
        }
        return id;
    }

    /**
     * Waits until the queue is empty (finished entries are deleted from the stream), then checks
     * every job: polling each job's state would load Redis more than the worker does.
     */
    private static void awaitAll(ExternalProducer producer, List<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!producer.queueEmpty("default") || producer.count(ids, "succeeded") < ids.size()) {
            if (System.currentTimeMillis() > deadline) {
                fail("jobs did not finish within " + timeout + ": " + producer.count(ids, "succeeded") + "/" + ids.size());
            }
            Thread.sleep(5);
        }
    }

    /**
     * What one Redis hop costs on this machine, for comparison with the enqueue-to-start latency:
     * one thread blocks in XREADGROUP, another XADDs an entry stamped with System.nanoTime() every
     * 10 ms, and the reader notes when the entry reached it. No queue code is involved.
     */
    private static double[] floor(BackingServices.Endpoints endpoints, String stream, int samples) throws Exception {
        try (RespClient reader = RespClient.connect(endpoints); RespClient writer = RespClient.connect(endpoints)) {
            writer.call("XGROUP", "CREATE", stream, "g", "0", "MKSTREAM");
            double[] latencies = new double[samples];
            Thread t = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < samples; i++) {
                    List<?> reply = (List<?>) reader.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "BLOCK", "0", "STREAMS", stream, ">");
                    long now = System.nanoTime();
                    Matcher m = Pattern.compile("t, (\\d+)").matcher(reply.toString());
                    latencies[i] = m.find() ? (now - Long.parseLong(m.group(1))) / 1e6 : Double.NaN;
                }
            });
            Thread.sleep(100);
            for (int i = 0; i < samples; i++) {
                writer.call("XADD", stream, "*", "t", Long.toString(System.nanoTime()));
                Thread.sleep(10);
            }
            t.join(10_000);
            writer.call("DEL", stream);
            Arrays.sort(latencies);
            return latencies;
        }
    }

    private static double percentile(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static int positive(String[] args, int i) {
        if (i >= args.length || !args[i].matches("[1-9][0-9]{0,7}")) {
            usage("expected a positive number after " + args[i - 1]);
        }
        return Integer.parseInt(args[i]);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static void usage(String reason) {
        System.err.println("queue bench: " + reason);
        System.exit(2);
    }

    private static void fail(String reason) {
        throw new IllegalStateException("queue bench: " + reason);
    }
}
