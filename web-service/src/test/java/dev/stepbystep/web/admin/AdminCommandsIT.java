package dev.stepbystep.web.admin;

import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.testing.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Factor XII: the admin commands as operators run them, from the packaged web artifact, against
 * a database of their own that the test creates (through the commands) and drops.
 */
class AdminCommandsIT {

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final String database = "admin_it_" + UUID.randomUUID().toString().substring(0, 8);
    private final String prefix = "admin-it-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void dropDatabase() throws SQLException {
        RedisKeys.deleteAll(services, prefix + ":*");
        try (var c = DriverManager.getConnection("jdbc:postgresql://" + services.postgresHost() + ":" + services.postgresPort() + "/postgres",
                services.username(), services.password()); var s = c.createStatement()) {
            s.execute("drop database if exists " + database + " with (force)");
        }
    }

    private record Run(int exit, List<String> output) {
        String last() {
            return output.isEmpty() ? "" : output.get(output.size() - 1);
        }

        /** The last line that is not a JSON log event: what the command itself said. */
        String said() {
            List<String> plain = output.stream().filter(l -> !l.startsWith("{")).toList();
            return plain.isEmpty() ? "" : plain.get(plain.size() - 1);
        }

        String plain() {
            return String.join("\n", output.stream().filter(l -> !l.startsWith("{")).toList());
        }
    }

    private Run run(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(services.asEnvironment());
        env.put("POSTGRES_NAME", database);
        env.put("APP_QUEUE_PREFIX", prefix); // generate-posts bumps the post list cache version
        env.put("SECRET_KEY", "admin-" + UUID.randomUUID() + UUID.randomUUID());
        env.putAll(extraEnv);
        try (PackagedService p = PackagedService.start(env, args)) {
            int exit = p.awaitExit(Duration.ofSeconds(60));
            return new Run(exit, p.output());
        }
    }

    private long count(String sql) throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:postgresql://" + services.postgresHost() + ":" + services.postgresPort() + "/" + database,
                services.username(), services.password()); var r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private boolean databaseExists() throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:postgresql://" + services.postgresHost() + ":" + services.postgresPort() + "/postgres",
                services.username(), services.password());
             var s = c.prepareStatement("select count(*) from pg_database where datname = ?")) {
            s.setString(1, database);
            var r = s.executeQuery();
            r.next();
            return r.getLong(1) == 1;
        }
    }

    /** The migrations the build ships (shared-model's V*.sql). */
    private static int migrations() {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("../shared-model/src/main/resources/db/migration"))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void preUpdateCreatesAndMigratesAndIsIdempotent() throws SQLException {
        int migrations = migrations();
        Run first = run(Map.of(), "pre-update");
        assertThat(first.exit()).as(first.plain()).isZero();
        assertThat(first.plain()).contains("create-database: created database " + database)
                .contains("migrate: applied " + migrations + " migration(s)");
        assertThat(count("select count(*) from flyway_schema_history where success")).isEqualTo(migrations);

        Run second = run(Map.of(), "pre-update");
        assertThat(second.exit()).isZero();
        assertThat(second.plain()).contains("already exists").contains("applied 0 migration(s)");

        assertThat(run(Map.of(), "create-database").plain()).contains("already exists");
        assertThat(run(Map.of(), "migrate").plain()).contains("applied 0 migration(s)");
    }

    @Test
    void createsuperuserTakesThePasswordFromTheEnvironmentOnlyOnce() throws SQLException {
        run(Map.of(), "pre-update");
        Run created = run(Map.of("SUPERUSER_PASSWORD", "a very good password"), "createsuperuser", "--email", "root@example.com");
        assertThat(created.exit()).as(created.plain()).isZero();
        assertThat(count("select count(*) from app_user where email = 'root@example.com' and is_staff and is_superuser and is_active")).isEqualTo(1);

        Run again = run(Map.of("SUPERUSER_PASSWORD", "a very good password"), "createsuperuser", "--email", "ROOT@example.com");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.said()).startsWith("web-service: createsuperuser failed").contains("already exists");

        Run shortPassword = run(Map.of("SUPERUSER_PASSWORD", "short"), "createsuperuser", "--email", "other@example.com");
        assertThat(shortPassword.exit()).isEqualTo(1);
        assertThat(shortPassword.said()).contains("8 to 128 characters");
        assertThat(count("select count(*) from app_user")).isEqualTo(1);
    }

    @Test
    void generatePostsCreatesSampleData() throws SQLException {
        run(Map.of(), "pre-update");
        Run generated = run(Map.of(), "generate-posts", "--count", "25");
        assertThat(generated.exit()).isZero();
        assertThat(generated.plain()).contains("generate-posts: created 25 post(s)");
        assertThat(count("select count(*) from post")).isEqualTo(25);
    }

    @Test
    void badArgumentsExitWithOneLineAndTouchNothing() throws SQLException {
        for (String[] args : List.of(
                new String[] {"generate-posts", "--count", "abc"},
                new String[] {"generate-posts", "--count", "0"},
                new String[] {"generate-posts"},
                new String[] {"createsuperuser", "--email", "not-an-email"},
                new String[] {"createsuperuser", "--email", "a@b.co", "--password", "secret123"},
                new String[] {"migrate", "--force", "yes"},
                new String[] {"drop-everything"})) {
            Run r = run(Map.of(), args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.output()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.last()).startsWith("web-service: ");
        }
        assertThat(databaseExists()).as("nothing was created").isFalse();
    }
}
