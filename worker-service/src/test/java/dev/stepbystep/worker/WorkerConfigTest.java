package dev.stepbystep.worker;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker's own variables (WORKER_*, EMAIL_*): defaults, and the overrides the test resources set. */
@QuarkusTest
class WorkerConfigTest {

    @Inject
    WorkerConfig config;

    @Test
    void queuesAndSmtpComeFromTheEnvironmentWithLocalDefaults() {
        // WORKER_QUEUES and EMAIL_HOST/EMAIL_PORT are set by this module's test resources.
        assertThat(config.queues()).containsExactly("default", ExtraQueuesResource.DLQ_TEST_QUEUE, ExtraQueuesResource.PURGE_TEST_QUEUE);
        assertThat(config.email().host()).isEqualTo("127.0.0.1");
        assertThat(config.email().port()).isNotEqualTo(1025);
        assertThat(config.concurrency()).isEqualTo(8);
        assertThat(config.lease()).hasSeconds(15);
        assertThat(config.shutdownGrace()).hasSeconds(25);
        assertThat(config.email().username()).isEmpty();
        assertThat(config.email().from()).isEqualTo("hello@example.com");
    }
}
