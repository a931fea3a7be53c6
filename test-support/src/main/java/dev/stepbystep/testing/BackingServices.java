package dev.stepbystep.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that decides where tests find PostgreSQL and Redis:
 * <ol>
 *   <li>the services named by the usual variables ({@code POSTGRES_SERVICE_HOST}/{@code _PORT},
 *   {@code REDIS_SERVICE_HOST}/{@code _PORT}; defaults localhost:5432 and 127.0.0.1:6379) when both answer;</li>
 *   <li>else Testcontainers ({@value #POSTGRES_IMAGE}, {@value #REDIS_IMAGE}) when a Docker engine is present;</li>
 *   <li>else a failure that says what to start.</li>
 * </ol>
 * Tests always use a database of their own, {@code TEST_POSTGRES_NAME} (default {@code test}), which
 * is created when missing, never the developer's {@code postgres} database. Each module's tests
 * get their own copy of it ({@code test_web_service}, …: the build passes the module's name as
 * the system property {@value #DATABASE_SUFFIX_PROPERTY}), so modules can run in parallel while
 * each test application cleans and migrates its own schema.
 */
public class BackingServices implements QuarkusTestResourceLifecycleManager {

    public static final String POSTGRES_IMAGE = "postgres:16-alpine";
    public static final String REDIS_IMAGE = "redis:7-alpine";
    public static final String DATABASE_SUFFIX_PROPERTY = "test.database.suffix";

    private static Endpoints located;
    private static PostgreSQLContainer postgresContainer;
    private static GenericContainer<?> redisContainer;

    /** Where the backing services are, as the environment variables the services read. */
    public record Endpoints(String postgresHost, int postgresPort, String database, String username, String password,
                            String redisHost, int redisPort) {

        public Map<String, String> asEnvironment() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("POSTGRES_SERVICE_HOST", postgresHost);
            env.put("POSTGRES_SERVICE_PORT", Integer.toString(postgresPort));
            env.put("POSTGRES_NAME", database);
            env.put("POSTGRES_USERNAME", username);
            env.put("POSTGRES_PASSWORD", password);
            env.put("REDIS_SERVICE_HOST", redisHost);
            env.put("REDIS_SERVICE_PORT", Integer.toString(redisPort));
            return env;
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + postgresHost + ":" + postgresPort + "/" + database;
        }
    }

    /** Redis key prefix of this test JVM's job queue, so runs never see each other's jobs. */
    public static final String QUEUE_PREFIX = "test-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>(locate().asEnvironment());
        config.put("app.queue.prefix", QUEUE_PREFIX);
        return config;
    }

    @Override
    public void stop() {
        // Containers (if any) live for the whole JVM: Testcontainers' reaper removes them at exit.
        // The outbox rows of this prefix go first: a row still there when its Redis markers are
        // gone is pushed again by the next application's relay, as a new job nobody consumes
        // (seen as queued jobs left in Redis after the worker's tests).
        deleteOutboxRows(locate());
        RedisKeys.deleteAll(locate(), QUEUE_PREFIX + ":*");
    }

    private static void deleteOutboxRows(Endpoints e) {
        try (var c = DriverManager.getConnection(e.jdbcUrl(), e.username(), e.password());
             var rows = c.prepareStatement("delete from job_outbox where queue_prefix = ?")) {
            rows.setString(1, QUEUE_PREFIX);
            rows.executeUpdate();
        } catch (SQLException noOutboxYet) {
            // a database the migrations never reached (no job_outbox table): nothing to remove
        }
    }

    /** Finds (or starts) the backing services once per JVM. */
    public static synchronized Endpoints locate() {
        if (located == null) {
            located = find();
            ensureDatabase(located);
        }
        return located;
    }

    private static Endpoints find() {
        String pgHost = env("POSTGRES_SERVICE_HOST", "localhost");
        int pgPort = Integer.parseInt(env("POSTGRES_SERVICE_PORT", "5432"));
        String redisHost = env("REDIS_SERVICE_HOST", "127.0.0.1");
        int redisPort = Integer.parseInt(env("REDIS_SERVICE_PORT", "6379"));
        String database = env("TEST_POSTGRES_NAME", "test") + databaseSuffix();
        boolean pgUp = reachable(pgHost, pgPort);
        boolean redisUp = reachable(redisHost, redisPort);
        if (pgUp && redisUp) {
            return new Endpoints(pgHost, pgPort, database, env("POSTGRES_USERNAME", "postgres"),
                    env("POSTGRES_PASSWORD", "postgres"), redisHost, redisPort);
        }
        if (dockerAvailable()) {
            return startContainers(database);
        }
        throw new IllegalStateException("Tests need PostgreSQL and Redis: "
                + (pgUp ? "" : "nothing answers at " + pgHost + ":" + pgPort + " (POSTGRES_SERVICE_HOST/PORT); ")
                + (redisUp ? "" : "nothing answers at " + redisHost + ":" + redisPort + " (REDIS_SERVICE_HOST/PORT); ")
                + "and no Docker engine is available for Testcontainers. Start PostgreSQL and Redis locally "
                + "(see docs/development.md, 'Running the tests') or start Docker.");
    }

    /** "_web_service" for the module web-service; empty outside a module build. */
    static String databaseSuffix() {
        String module = System.getProperty(DATABASE_SUFFIX_PROPERTY, "").trim();
        return module.isEmpty() ? "" : "_" + module.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static Endpoints startContainers(String database) {
        postgresContainer = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE)).withDatabaseName(database);
        postgresContainer.start();
        redisContainer = new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE)).withExposedPorts(6379);
        redisContainer.start();
        return new Endpoints(postgresContainer.getHost(), postgresContainer.getMappedPort(5432), database,
                postgresContainer.getUsername(), postgresContainer.getPassword(),
                redisContainer.getHost(), redisContainer.getMappedPort(6379));
    }

    private static void ensureDatabase(Endpoints e) {
        if (!e.database().matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalStateException("TEST_POSTGRES_NAME must be a plain lower-case identifier, got: " + e.database());
        }
        String adminUrl = "jdbc:postgresql://" + e.postgresHost() + ":" + e.postgresPort() + "/postgres";
        try (var connection = DriverManager.getConnection(adminUrl, e.username(), e.password());
             var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, e.database());
            if (!exists.executeQuery().next()) {
                try (var create = connection.createStatement()) {
                    create.execute("create database " + e.database());
                }
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("Cannot prepare test database " + e.database() + " at "
                    + e.postgresHost() + ":" + e.postgresPort() + ": " + ex.getMessage(), ex);
        }
    }

    static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
