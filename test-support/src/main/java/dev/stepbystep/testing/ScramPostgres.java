package dev.stepbystep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A throw-away PostgreSQL cluster that checks passwords ({@code scram-sha-256}), for tests of
 * credentials and rotation: the machine's shared server trusts every local connection, so a
 * wrong password would pass there. Made with the installed PostgreSQL binaries ({@code initdb}
 * into a temporary folder, on a free port, listening on 127.0.0.1 only) and deleted on close.
 * As root, the binaries run as the {@code postgres} user (initdb refuses root).
 */
public final class ScramPostgres implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    private final Path dir;
    private final int port;
    private final String superuserPassword;
    private final Process server;

    private ScramPostgres(Path dir, int port, String superuserPassword, Process server) {
        this.dir = dir;
        this.port = port;
        this.superuserPassword = superuserPassword;
        this.server = server;
    }

    public static ScramPostgres start(String superuserPassword) {
        Path bin = binaries();
        int port = PackagedService.freePort();
        try {
            Path dir = Files.createTempDirectory("scram-pg-");
            Path data = dir.resolve("data");
            Path pwfile = dir.resolve("pw");
            Files.writeString(pwfile, superuserPassword + "\n", StandardCharsets.UTF_8);
            if (isRoot()) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            }
            run(asPostgres(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                    "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--no-sync")));
            Files.deleteIfExists(pwfile);
            Process server = new ProcessBuilder(asPostgres(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                    "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
                    "-c", "fsync=off")))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
            ScramPostgres pg = new ScramPostgres(dir, port, superuserPassword, server);
            pg.awaitReady(Duration.ofSeconds(30));
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary PostgreSQL cluster", e);
        }
    }

    public int port() {
        return port;
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A connection as the superuser, for setting up roles and databases. */
    public Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(url(database), SUPERUSER, superuserPassword);
    }

    /** Runs one statement as the superuser in the {@code postgres} database. */
    public void execute(String sql) {
        try (Connection c = superuser("postgres"); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("on the temporary cluster: " + sql.replaceAll("PASSWORD '[^']*'", "PASSWORD '***'")
                    + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .failFast("temporary PostgreSQL exited", () -> !server.isAlive())
                    .ignoreExceptionsInstanceOf(SQLException.class)
                    .until(() -> {
                        try (Connection ignored = superuser("postgres")) {
                            return true;
                        }
                    });
        } catch (RuntimeException e) {
            String log = log();
            close();
            throw new IllegalStateException("temporary PostgreSQL not ready within " + timeout + "; its log:\n" + log, e);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static Path binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new IllegalStateException("no initdb under /usr/lib/postgresql/*/bin; install postgresql"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL server binaries not found under /usr/lib/postgresql; install postgresql", e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            run(asPostgres(List.of(binaries().resolve("pg_ctl").toString(), "stop", "-D", dir.resolve("data").toString(),
                    "-m", "fast", "-w", "-t", "20")));
        } catch (IOException | IllegalStateException e) {
            server.destroy();
        }
        try {
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.descendants().forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp folder
        }
    }
}
