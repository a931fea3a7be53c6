package dev.stepbystep.worker;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Defaults of the worker's own variables (WORKER_*, EMAIL_*), as a laptop gets them. */
@QuarkusTest
class WorkerConfigTest {

    @Inject
    WorkerConfig config;

    @Test
    void defaultsConsumeTheDefaultQueueAndMailToLocalSmtp() {
        assertThat(config.queues()).containsExactly("default");
        assertThat(config.concurrency()).isEqualTo(8);
        assertThat(config.email().host()).isEqualTo("localhost");
        assertThat(config.email().port()).isEqualTo(1025);
        assertThat(config.email().username()).isEmpty();
        assertThat(config.email().from()).isEqualTo("hello@example.com");
    }
}
