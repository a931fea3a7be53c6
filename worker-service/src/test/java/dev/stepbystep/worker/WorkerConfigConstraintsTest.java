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

    @Test
    void chatProviderSettingsAreCheckedAtStart() {
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.llm.base-url", "https://api.openai.com/v1"))).isEmpty();
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.llm.base-url", "http://127.0.0.1:8080"))).isEmpty();
        for (String bad : new String[] {"api.openai.com/v1", "ftp://x", "https://x/v1?key=1", "https://x y"}) {
            assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.llm.base-url", bad)))
                    .as(bad).singleElement().asString().startsWith("worker.llm.base-url");
        }
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.llm.model", "gpt 4")))
                .singleElement().asString().startsWith("worker.llm.model");
        assertThat(ConfigConstraints.problems(WorkerConfig.class, worker("worker.llm.timeout", "0S")))
                .singleElement().asString().startsWith("worker.llm.timeout");
    }

    @Test
    void anActivationPathWithoutItsPartsIsRefusedAtStart() {
        Map<String, String> shared = new HashMap<>(Map.ofEntries(Map.entry("app.source-tag", "-"), Map.entry("app.frontend-url", "http://localhost"),
                Map.entry("app.postgres.host", "localhost"), Map.entry("app.postgres.port", "5432"), Map.entry("app.postgres.name", "postgres"),
                Map.entry("app.postgres.username", "postgres"), Map.entry("app.redis.host", "localhost"), Map.entry("app.redis.port", "6379"),
                Map.entry("app.aws.region", "us-east-1")));
        assertThat(ConfigConstraints.problems(dev.stepbystep.shared.config.AppConfig.class, shared)).isEmpty();
        shared.put("app.email-activation-path", "/activate/{uid}/{token}");
        assertThat(ConfigConstraints.problems(dev.stepbystep.shared.config.AppConfig.class, shared)).isEmpty();
        shared.put("app.email-activation-path", "/verify/{token}");
        assertThat(ConfigConstraints.problems(dev.stepbystep.shared.config.AppConfig.class, shared))
                .singleElement().asString().startsWith("app.email-activation-path");
    }
}
