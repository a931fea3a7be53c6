package dev.stepbystep.bench;

import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.ExternalProducer;
import dev.stepbystep.testing.RespClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The queue bench's stopwatch and gauges: timing, waiting for jobs, a process' RSS, Redis' command counts, the bare Redis hop. */
final class Measure {

    private Measure() {
    }

    /** The worker's resident set size, sampled every 50 ms; the peak is kept. */
    static void sampleRss(long pid, AtomicLong peakKb) {
        Path status = Path.of("/proc/" + pid + "/status");
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        long kb = Long.parseLong(line.replaceAll("\\D", ""));
                        peakKb.accumulateAndGet(kb, Math::max);
                    }
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (Exception gone) {
                return;
            }
        }
    }

    /** Calls per command from INFO commandstats (commands a script runs included). */
    static Map<String, Long> commandStats(RespClient redis) {
        Map<String, Long> calls = new TreeMap<>();
        Matcher m = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)").matcher(redis.call("INFO", "commandstats").toString());
        while (m.find()) {
            calls.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return calls;
    }

    static String perJob(Map<String, Long> before, Map<String, Long> after, int jobs) {
        StringBuilder out = new StringBuilder();
        double total = 0;
        for (var e : after.entrySet()) {
            double per = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / (double) jobs;
            if (per >= 0.005 && !e.getKey().equals("info")) {
                out.append(String.format("%s=%.2f ", e.getKey(), per));
                total += per;
            }
        }
        return out.append(String.format("total=%.2f", total)).toString();
    }

    /**
     * What one Redis hop costs on this machine, for comparison with the enqueue-to-start latency:
     * one thread blocks in XREADGROUP, another XADDs an entry stamped with System.nanoTime() every
     * 10 ms, and the reader notes when the entry reached it. No queue code is involved.
     */
    static double[] floor(BackingServices.Endpoints endpoints, String stream, int samples) throws Exception {
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

    static double percentile(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    interface Work {
        void run() throws Exception;
    }

    static double timed(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Waits until the queue is empty (finished entries are deleted from the stream), then checks
     * every job: polling each job's state would load Redis more than the worker does.
     */
    static void awaitAll(ExternalProducer reader, List<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!reader.queueEmpty("default") || reader.count(ids, "succeeded") < ids.size()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("jobs did not finish within " + timeout + ": "
                        + reader.count(ids, "succeeded") + "/" + ids.size());
            }
            Thread.sleep(5);
        }
    }
}
