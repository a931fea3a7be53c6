package dev.stepbystep.bench;

import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.LuaSource;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.ExternalProducer;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.testing.RedisKeys;
import dev.stepbystep.testing.RespClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queue benchmark ({@code bench/queue/run}): every job goes in through the product's own
 * {@link JobQueue}, against one packaged worker process and the real Redis and PostgreSQL.
 * <ol>
 * <li>Enqueue rates from one thread, on a queue no worker reads (so the producer is measured,
 * not the drain): blocking {@code enqueue}, non-blocking {@code enqueueAsync}, {@code enqueueAll}
 * in calls of 10,000, and {@code enqueue} inside a transaction (outbox row, commit, push).</li>
 * <li>Drain: N no-op jobs enqueued with {@code enqueueAll}, first enqueue to last finish, with
 * the worker's peak RSS and Redis' command counts per job over the drain.</li>
 * <li>Enqueue-to-start latency at low load (one job every 10 ms), beside the bare Redis hop.</li>
 * </ol>
 * Last line: {@code enqueue_single_per_s=… enqueue_bulk_per_s=… drain_jobs_per_s=… p50_ms=… p99_ms=…
 * floor_p99_ms=… worker_rss_mb=…}.
 */
@QuarkusMain
public class QueueBench implements QuarkusApplication {

    private static final String IDLE_QUEUE = "bench-idle";
    private static final Pattern STARTED = Pattern.compile("\"started_at_us\":(\\d+)");

    @Inject
    JobQueue queue;

    @Inject
    QueueConfig config;

    @Inject
    AgroalDataSource dataSource;

    private KeySchema keys;
    private int jobs = 20_000;
    private int concurrency = 64;
    private int latencyJobs = 500;
    private int warmupJobs = 50_000;
    private int enqueueJobs = 200_000;

    @Override
    public int run(String... args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jobs" -> jobs = positive(args, ++i);
                case "--concurrency" -> concurrency = positive(args, ++i);
                case "--latency-jobs" -> latencyJobs = positive(args, ++i);
                case "--warmup-jobs" -> warmupJobs = positive(args, ++i);
                case "--enqueue-jobs" -> enqueueJobs = positive(args, ++i);
                default -> {
                    System.err.println("queue bench: unknown argument " + args[i]
                            + " (use --jobs N, --concurrency N, --latency-jobs N, --warmup-jobs N, --enqueue-jobs N)");
                    return 2;
                }
            }
        }
        String prefix = config.prefix();
        keys = new KeySchema(prefix);
        var endpoints = new BackingServices.Endpoints(env("POSTGRES_SERVICE_HOST", "localhost"),
                Integer.parseInt(env("POSTGRES_SERVICE_PORT", "5432")), env("POSTGRES_NAME", "postgres"),
                env("POSTGRES_USERNAME", "postgres"), env("POSTGRES_PASSWORD", "postgres"),
                env("REDIS_SERVICE_HOST", "127.0.0.1"), Integer.parseInt(env("REDIS_SERVICE_PORT", "6379")));
        Map<String, String> workerEnv = new HashMap<>(endpoints.asEnvironment());
        workerEnv.put("SECRET_KEY", System.getenv("SECRET_KEY"));
        workerEnv.put("APP_QUEUE_PREFIX", prefix);
        workerEnv.put("WORKER_CONCURRENCY", Integer.toString(concurrency));
        workerEnv.put("QUARKUS_LOG_LEVEL", "WARN");
        try (RespClient redis = RespClient.connect(endpoints);
             PackagedService worker = PackagedService.start(Path.of("worker-service/target/quarkus-app/quarkus-run.jar"), workerEnv)) {
            measure(redis, worker, endpoints);
            return 0;
        } finally {
            RedisKeys.deleteAll(endpoints, prefix + ":*");
            try (var c = dataSource.getConnection(); var s = c.prepareStatement("delete from job_outbox where queue_prefix = ?")) {
                s.setString(1, prefix);
                s.executeUpdate();
            }
        }
    }

    private void measure(RespClient redis, PackagedService worker, BackingServices.Endpoints endpoints) throws Exception {
        ExternalProducer reader = new ExternalProducer(redis, config.prefix(), LuaSource.resolve("jobs/enqueue.lua"));
        long deadline = System.currentTimeMillis() + 60_000;
        while (worker.status("/q/health/ready") != 200) {
            if (!worker.process().isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("worker did not become ready:\n" + worker.outputText());
            }
            Thread.sleep(100);
        }
        DebugSleep noop = DebugSleep.noop();
        EnqueueOptions idle = EnqueueOptions.defaults().queue(IDLE_QUEUE);

        // Warm-up: JIT in both processes (C2 compiles the job path only after tens of thousands
        // of jobs on two busy cores), pools, script cache. Then the low-load path, where jobs
        // arrive one at a time and the reader runs them itself, a tenth as many, 0.5 ms apart.
        Measure.awaitAll(reader, ids(bulk(warmupJobs, noop, EnqueueOptions.defaults())), Duration.ofSeconds(300));
        List<String> oneByOne = new ArrayList<>();
        for (int i = 0; i < Math.max(200, warmupJobs / 10); i++) {
            oneByOne.add(queue.enqueue(Tasks.DEBUG, noop).jobId());
            Thread.sleep(0, 500_000);
        }
        Measure.awaitAll(reader, oneByOne, Duration.ofSeconds(120));
        int warmEnqueues = Math.max(1000, enqueueJobs / 5);
        forget(redis, blocking(warmEnqueues / 4, noop, idle));
        forget(redis, async(warmEnqueues, noop, idle));
        forget(redis, ids(bulk(warmEnqueues, noop, idle)));
        forget(redis, inTransaction(Math.max(100, warmEnqueues / 100), noop, idle));

        // 1. Enqueue from one thread, nothing reading the queue; each run's jobs removed after it.
        int blockingJobs = Math.max(1000, enqueueJobs / 10);
        List<String> made = new ArrayList<>();
        double blockingPerS = blockingJobs / Measure.timed(() -> made.addAll(blocking(blockingJobs, noop, idle)));
        forget(redis, made);
        double asyncPerS = enqueueJobs / Measure.timed(() -> made.addAll(async(enqueueJobs, noop, idle)));
        forget(redis, made);
        double bulkPerS = enqueueJobs / Measure.timed(() -> made.addAll(ids(bulk(enqueueJobs, noop, idle))));
        forget(redis, made);
        int txJobs = Math.max(200, enqueueJobs / 100);
        double txPerS = txJobs / Measure.timed(() -> made.addAll(inTransaction(txJobs, noop, idle)));
        forget(redis, made);

        // 2. Drain: enqueueAll on the worker's queue; peak RSS and Redis commands over it.
        Map<String, Long> before = Measure.commandStats(redis);
        AtomicLong peakRssKb = new AtomicLong();
        Thread rssSampler = Thread.ofPlatform().daemon().start(() -> Measure.sampleRss(worker.process().pid(), peakRssKb));
        long t0 = System.currentTimeMillis();
        long e0 = System.nanoTime();
        List<String> ids = ids(bulk(jobs, noop, EnqueueOptions.defaults()));
        double enqueueSeconds = (System.nanoTime() - e0) / 1e9;
        Measure.awaitAll(reader, ids, Duration.ofSeconds(300));
        rssSampler.interrupt();
        Map<String, Long> after = Measure.commandStats(redis);
        long last = 0;
        for (int i = 0; i < ids.size(); i += 1000) {
            List<List<String>> batch = ids.subList(i, Math.min(ids.size(), i + 1000)).stream()
                    .map(id -> List.of("HGET", keys.job(id), "finished_at")).toList();
            for (Object f : redis.pipeline(batch)) {
                last = Math.max(last, Long.parseLong((String) f));
            }
        }
        double drainSeconds = Math.max(1, last - t0) / 1000.0;

        // 3. Enqueue-to-start latency at low load: one job every 10 ms.
        Map<String, Long> enqueuedMicros = new HashMap<>();
        List<String> latencyIds = new ArrayList<>();
        for (int i = 0; i < latencyJobs; i++) {
            Instant now = Instant.now();
            String id = queue.enqueue(Tasks.DEBUG, noop).jobId();
            enqueuedMicros.put(id, now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000);
            latencyIds.add(id);
            Thread.sleep(10);
        }
        Measure.awaitAll(reader, latencyIds, Duration.ofSeconds(60));
        double[] latencies = new double[latencyIds.size()];
        for (int i = 0; i < latencyIds.size(); i++) {
            Matcher m = STARTED.matcher(reader.field(latencyIds.get(i), "result"));
            if (!m.find()) {
                throw new IllegalStateException("job result has no started_at_us: " + reader.field(latencyIds.get(i), "result"));
            }
            latencies[i] = (Long.parseLong(m.group(1)) - enqueuedMicros.get(latencyIds.get(i))) / 1000.0;
        }
        Arrays.sort(latencies);

        worker.terminate();
        worker.awaitExit(Duration.ofSeconds(30));
        double[] floor = Measure.floor(endpoints, keys.stream("bench-floor"), latencyJobs);

        System.out.printf("jobs=%d concurrency=%d warmup_jobs=%d enqueue_jobs=%d drain_s=%.3f drain_enqueue_s=%.3f latency_jobs=%d%n",
                jobs, concurrency, warmupJobs, enqueueJobs, drainSeconds, enqueueSeconds, latencyJobs);
        System.out.printf("redis commands per drained job (INFO commandstats): %s%n", Measure.perJob(before, after, jobs));
        System.out.printf("floor (bare XADD -> blocked XREADGROUP on a platform thread, same pacing): p50_ms=%.3f p99_ms=%.3f%n",
                Measure.percentile(floor, 50), Measure.percentile(floor, 99));
        System.out.printf("enqueue from one thread (JobQueue): blocking_per_s=%.0f (%d jobs) in_transaction_per_s=%.0f (%d jobs, one transaction each)%n",
                blockingPerS, blockingJobs, txPerS, txJobs);
        System.out.printf("enqueue_single_per_s=%.0f enqueue_bulk_per_s=%.0f drain_jobs_per_s=%.0f p50_ms=%.3f p99_ms=%.3f floor_p99_ms=%.3f worker_rss_mb=%d%n",
                asyncPerS, bulkPerS, jobs / drainSeconds, Measure.percentile(latencies, 50), Measure.percentile(latencies, 99),
                Measure.percentile(floor, 99), peakRssKb.get() / 1024);
    }

    private List<String> blocking(int n, DebugSleep payload, EnqueueOptions options) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(queue.enqueue(Tasks.DEBUG, payload, options).jobId());
        }
        return ids;
    }

    /** Non-blocking single enqueues from one thread, never more than 50,000 unanswered; waits for all. */
    private List<String> async(int n, DebugSleep payload, EnqueueOptions options) throws Exception {
        List<CompletableFuture<JobQueue.Enqueued>> stages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (i >= 50_000) {
                stages.get(i - 50_000).get(30, TimeUnit.SECONDS);
            }
            stages.add(queue.enqueueAsync(Tasks.DEBUG, payload, options).toCompletableFuture());
        }
        CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return stages.stream().map(s -> s.join().jobId()).toList();
    }

    /** enqueueAll in calls of 10,000 jobs, as a producer with many jobs at hand would call it. */
    private List<JobQueue.Enqueued> bulk(int n, DebugSleep payload, EnqueueOptions options) {
        List<JobQueue.Enqueued> all = new ArrayList<>(n);
        for (int from = 0; from < n; from += 10_000) {
            all.addAll(queue.enqueueAll(Tasks.DEBUG, Collections.nCopies(Math.min(10_000, n - from), payload), options));
        }
        return all;
    }

    /** One job per transaction, as a web request that writes a row and enqueues: outbox row, commit, push. */
    private List<String> inTransaction(int n, DebugSleep payload, EnqueueOptions options) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(QuarkusTransaction.requiringNew().call(() -> queue.enqueue(Tasks.DEBUG, payload, options).jobId()));
        }
        return ids;
    }

    /**
     * Removes jobs of the idle queue (hashes, outbox rows and markers once their push is in) and
     * the queue's stream, so the next run starts from the same Redis; empties {@code ids} when it can.
     */
    private void forget(RespClient redis, List<String> ids) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        for (int i = 0; i < ids.size(); i += 1000) {
            List<String> batch = ids.subList(i, Math.min(ids.size(), i + 1000));
            // Pushes after a commit are asynchronous: wait until each job is in before removing it.
            List<List<String>> exists = batch.stream().map(id -> List.of("EXISTS", keys.job(id))).toList();
            while (redis.pipeline(exists).stream().anyMatch(r -> Long.valueOf(0).equals(r))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("jobs enqueued in a transaction did not reach Redis within 30 s");
                }
                Thread.sleep(10);
            }
            List<String> unlink = new ArrayList<>(List.of("UNLINK"));
            batch.forEach(id -> {
                unlink.add(keys.job(id));
                unlink.add(keys.outboxMarker(id));
            });
            redis.call(unlink.toArray(String[]::new));
        }
        redis.call("UNLINK", keys.stream(IDLE_QUEUE));
        try (var c = dataSource.getConnection(); var s = c.prepareStatement("delete from job_outbox where queue_prefix = ?")) {
            s.setString(1, config.prefix());
            s.executeUpdate();
        }
        if (ids instanceof ArrayList<String> mutable) {
            mutable.clear();
        }
    }

    private static List<String> ids(List<JobQueue.Enqueued> enqueued) {
        return enqueued.stream().map(JobQueue.Enqueued::jobId).toList();
    }

    private static int positive(String[] args, int i) {
        if (i >= args.length || !args[i].matches("[1-9][0-9]{0,7}")) {
            System.err.println("queue bench: expected a positive number after " + args[i - 1]);
            System.exit(2);
        }
        return Integer.parseInt(args[i]);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
