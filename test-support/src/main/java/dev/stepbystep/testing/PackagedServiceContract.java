package dev.stepbystep.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

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
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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

    /**
     * One healthy start serves every check of a running service (readiness, metrics, logs): a
     * JVM start is most of what these tests cost. It starts behind proxies with Redis cut, so
     * the first check sees a start without Redis; the methods run in the order below, and each
     * one restores what it cut.
     */
    private static TcpProxy postgresProxy;
    private static TcpProxy redisProxy;
    private static PackagedService running;

    /** The shared running service, started (with Redis cut) on first use. */
    private PackagedService running() {
        if (running == null) {
            BackingServices.Endpoints real = BackingServices.locate();
            postgresProxy = new TcpProxy(real.postgresHost(), real.postgresPort());
            redisProxy = new TcpProxy(real.redisHost(), real.redisPort());
            redisProxy.cut();
            running = PackagedService.start(productionEnvironment(new BackingServices.Endpoints("127.0.0.1", postgresProxy.port(),
                    real.database(), real.username(), real.password(), "127.0.0.1", redisProxy.port())));
        }
        return running;
    }

    /** The shared service with both backing services reachable, once it is ready. */
    private PackagedService ready() {
        PackagedService service = running();
        redisProxy.restore();
        postgresProxy.restore();
        awaitStatus(service, "/q/health/ready", 200, START_TIMEOUT);
        return service;
    }

    @AfterAll
    static void stopRunningAndRemoveQueueKeys() {
        if (running != null) {
            running.close();
            postgresProxy.close();
            redisProxy.close();
            running = null;
        }
        RedisKeys.deleteAll(BackingServices.locate(), BackingServices.QUEUE_PREFIX + ":*");
    }

    @Test
    @Order(1)
    void unreachableRedisAtStartStartsNotReadyUntilRedisAppears() {
        PackagedService service = running();
        awaitStatus(service, "/q/health/live", 200, START_TIMEOUT);
        assertThat(service.status("/q/health/ready")).isEqualTo(503);
        redisProxy.restore();
        awaitStatus(service, "/q/health/ready", 200, Duration.ofSeconds(30));
    }

    @Test
    @Order(2)
    void readinessFollowsPostgresAndRedis() {
        PackagedService service = ready();
        assertThat(service.status("/q/health/live")).isEqualTo(200);

        redisProxy.cut();
        awaitStatus(service, "/q/health/ready", 503, Duration.ofSeconds(30));
        assertThat(service.get("/q/health/ready").body()).contains("DOWN").containsIgnoringCase("redis");
        assertThat(service.status("/q/health/live")).as("liveness must not depend on backing services").isEqualTo(200);
        redisProxy.restore();
        awaitStatus(service, "/q/health/ready", 200, Duration.ofSeconds(30));

        postgresProxy.cut();
        awaitStatus(service, "/q/health/ready", 503, Duration.ofSeconds(30));
        assertThat(service.get("/q/health/ready").body()).contains("DOWN").containsIgnoringCase("database");
        postgresProxy.restore();
        awaitStatus(service, "/q/health/ready", 200, Duration.ofSeconds(30));
    }

    @Test
    @Order(3)
    void servesPrometheusMetrics() {
        PackagedService.Response metrics = ready().get("/q/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    @Order(4)
    void productionLogsAreJsonLinesOnStdout() {
        // After the outages above: what the service logged about them is JSON lines too.
        assertThat(ready().output()).isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"))
                .as("Quarkus 3.33's duplicate Redis pool gauge warning (UpstreamWarningFilter)")
                .noneMatch(line -> line.contains("already registered"));
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
