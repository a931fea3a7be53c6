package dev.stepbystep.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every packaged service (web, worker, beat) promises an operator, checked against the real
 * jar run as a process. A module's {@code *IT} extends this class and inherits the tests.
 */
public abstract class PackagedServiceContract {

    protected static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** Environment of a healthy production-profile start against the test backing services. */
    protected Map<String, String> productionEnvironment(BackingServices.Endpoints endpoints) {
        Map<String, String> env = new HashMap<>(endpoints.asEnvironment());
        env.put("SECRET_KEY", "test-" + UUID.randomUUID() + UUID.randomUUID());
        // The test database is migrated by the in-process tests; migrating again is a no-op.
        env.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
        env.put("APP_QUEUE_PREFIX", BackingServices.QUEUE_PREFIX);
        return env;
    }

    @AfterAll
    static void removeQueueKeys() {
        RedisKeys.deleteAll(BackingServices.locate(), BackingServices.QUEUE_PREFIX + ":*");
    }

    @Test
    void readinessFollowsPostgresAndRedis() {
        BackingServices.Endpoints real = BackingServices.locate();
        try (TcpProxy postgres = new TcpProxy(real.postgresHost(), real.postgresPort());
             TcpProxy redis = new TcpProxy(real.redisHost(), real.redisPort())) {
            BackingServices.Endpoints proxied = new BackingServices.Endpoints("127.0.0.1", postgres.port(), real.database(),
                    real.username(), real.password(), "127.0.0.1", redis.port());
            try (PackagedService service = PackagedService.start(productionEnvironment(proxied))) {
                awaitStatus(service, "/q/health/ready", 200, START_TIMEOUT);
                assertThat(service.status("/q/health/live")).isEqualTo(200);

                redis.cut();
                awaitStatus(service, "/q/health/ready", 503, Duration.ofSeconds(30));
                assertThat(service.get("/q/health/ready").body()).contains("DOWN").containsIgnoringCase("redis");
                assertThat(service.status("/q/health/live")).as("liveness must not depend on backing services").isEqualTo(200);
                redis.restore();
                awaitStatus(service, "/q/health/ready", 200, Duration.ofSeconds(30));

                postgres.cut();
                awaitStatus(service, "/q/health/ready", 503, Duration.ofSeconds(30));
                assertThat(service.get("/q/health/ready").body()).contains("DOWN").containsIgnoringCase("database");
                postgres.restore();
                awaitStatus(service, "/q/health/ready", 200, Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void servesPrometheusMetrics() {
        try (PackagedService service = PackagedService.start(productionEnvironment(BackingServices.locate()))) {
            awaitStatus(service, "/q/health/ready", 200, START_TIMEOUT);
            PackagedService.Response metrics = service.get("/q/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void productionLogsAreJsonLinesOnStdout() {
        try (PackagedService service = PackagedService.start(productionEnvironment(BackingServices.locate()))) {
            awaitStatus(service, "/q/health/ready", 200, START_TIMEOUT);
            assertThat(service.output()).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        }
    }

    @Test
    void productionRefusesTheDevelopmentSecretKey() {
        Map<String, String> env = productionEnvironment(BackingServices.locate());
        env.put("SECRET_KEY", "development-secret-key-do-not-use-in-production");
        try (PackagedService service = PackagedService.start(env)) {
            assertThat(service.awaitExit(Duration.ofSeconds(30))).isNotZero();
            assertThat(lastLine(service)).contains("cannot start").contains("SECRET_KEY");
        }
    }

    @Test
    void productionRefusesAMissingSecretKey() {
        Map<String, String> env = productionEnvironment(BackingServices.locate());
        env.put("SECRET_KEY", "");
        try (PackagedService service = PackagedService.start(env)) {
            assertThat(service.awaitExit(Duration.ofSeconds(30))).isNotZero();
            assertThat(lastLine(service)).contains("SECRET_KEY");
        }
    }

    @Test
    void unreachablePostgresAtStartEndsWithOneLineReasonWithin30Seconds() {
        Map<String, String> env = productionEnvironment(BackingServices.locate());
        env.put("POSTGRES_SERVICE_PORT", "1");
        try (PackagedService service = PackagedService.start(env)) {
            assertThat(service.awaitExit(Duration.ofSeconds(30))).isNotZero();
            assertThat(lastLine(service)).contains("cannot start").contains("PostgreSQL").contains("POSTGRES_SERVICE_PORT");
        }
    }

    @Test
    void invalidPortVariableIsRefusedWithItsName() {
        Map<String, String> env = productionEnvironment(BackingServices.locate());
        env.put("REDIS_SERVICE_PORT", "not-a-port");
        try (PackagedService service = PackagedService.start(env)) {
            assertThat(service.awaitExit(Duration.ofSeconds(30))).isNotZero();
            assertThat(lastLine(service)).contains("cannot start").contains("app.redis.port");
        }
    }

    @Test
    void unreachableRedisAtStartStartsNotReadyUntilRedisAppears() {
        BackingServices.Endpoints real = BackingServices.locate();
        try (TcpProxy redis = new TcpProxy(real.redisHost(), real.redisPort())) {
            redis.cut();
            BackingServices.Endpoints proxied = new BackingServices.Endpoints(real.postgresHost(), real.postgresPort(),
                    real.database(), real.username(), real.password(), "127.0.0.1", redis.port());
            try (PackagedService service = PackagedService.start(productionEnvironment(proxied))) {
                awaitStatus(service, "/q/health/live", 200, START_TIMEOUT);
                assertThat(service.status("/q/health/ready")).isEqualTo(503);
                redis.restore();
                awaitStatus(service, "/q/health/ready", 200, Duration.ofSeconds(30));
            }
        }
    }

    protected static String lastLine(PackagedService service) {
        var lines = service.output();
        assertThat(lines).as("process output").isNotEmpty();
        return lines.get(lines.size() - 1);
    }

    protected static void awaitStatus(PackagedService service, String path, int status, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                .failFast("process ended; output:\n" + service.outputText(), () -> !service.process().isAlive())
                .until(() -> service.status(path) == status);
    }
}
