package dev.stepbystep.worker;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** The test worker also consumes the queues that dead-letter tests use, so they cannot disturb "default". */
public class ExtraQueuesResource implements QuarkusTestResourceLifecycleManager {

    public static final String DLQ_TEST_QUEUE = "dlq-test";
    public static final String PURGE_TEST_QUEUE = "purge-test";

    @Override
    public Map<String, String> start() {
        return Map.of("WORKER_QUEUES", String.join(",", "default", DLQ_TEST_QUEUE, PURGE_TEST_QUEUE));
    }

    @Override
    public void stop() {
    }
}
