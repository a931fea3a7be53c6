package dev.stepbystep.worker;

import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.testing.ConfigConstraints;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durations an operator sets are refused at start when they would break the queue: a zero
 * lease redelivers every running job at once, a zero promote interval spins a core.
 */
class WorkerConfigConstraintsTest {

    private static Map<String, String> worker(String key, String value) {
        Map<String, String> properties = new HashMap<>(Map.of("worker.queues", "default", "worker.concurrency", "8",
                "worker.email.host", "localhost", "worker.email.port", "1025", "worker.email.from", "hello@example.com"));
        properties.put(key, value);
        return properties;
    }

    @Test
    void theDefaultsAndTheSmallestSensibleValuesAreAccepted() {
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.enabled", "true"))).isEmpty();
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.lease", "1S"))).isEmpty();
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.shutdown-grace", "0S"))).isEmpty();
    }

    @Test
    void durationsThatWouldBreakTheQueueAreRefusedWithTheirName() {
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.lease", "0S")))
                .singleElement().isEqualTo("worker.lease must be at least 1 second");
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.shutdown-grace", "-5S")))
                .singleElement().asString().startsWith("worker.shutdown-grace");
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.promote-interval", "0S")))
                .singleElement().asString().startsWith("worker.promote-interval");
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.stats-interval", "1MS")))
                .singleElement().asString().startsWith("worker.stats-interval");
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.concurrency", "0")))
                .singleElement().asString().startsWith("worker.concurrency");
    }

    @Test
    void queueDurationsAreRefusedWithTheirName() {
        assertThat(ConfigConstraints.problems(QueueConfig.class, Map.of())).isEmpty();
        assertThat(ConfigConstraints.problems(QueueConfig.class, Map.of("app.queue.redis-timeout", "0S")))
                .singleElement().asString().startsWith("app.queue.redis-timeout");
        assertThat(ConfigConstraints.problems(QueueConfig.class, Map.of("app.queue.result-ttl", "0S")))
                .singleElement().asString().startsWith("app.queue.result-ttl");
        assertThat(ConfigConstraints.problems(QueueConfig.class, Map.of("app.queue.idempotency-ttl", "-1H")))
                .singleElement().asString().startsWith("app.queue.idempotency-ttl");
    }
}
