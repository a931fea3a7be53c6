package dev.stepbystep.system;

import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.testing.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.yaml.snakeyaml.Yaml;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The three images as built (each service's {@code target/jib-image.tar}, a docker-save tar),
 * run the way a container runtime would run them, without one: the layers are unpacked in
 * order into a root file system, and the image's own entrypoint runs there with its working
 * directory, user and environment ({@code unshare --root --wd --setuid}: no shell in between, so
 * the process started is the JVM itself). Each must become ready against the local PostgreSQL
 * and Redis and stop on SIGTERM; the web image must also run {@code migrate} to completion.
 *
 * <p>Needs root (chroot and /proc mounts), as CI here has. Machines with Docker build the
 * images into their engine instead, and this test is skipped by the docker-images profile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT) // the three images start side by side
class ImageSmokeIT {

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final String database = "image_smoke_" + UUID.randomUUID().toString().substring(0, 8);
    private final String prefix = "image-smoke-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Path> roots = java.util.Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Image(Path rootfs, List<String> entrypoint, String workingDir, String user, Map<String, String> env,
                 List<String> exposedPorts) {
    }

    private final Map<String, Image> images = new HashMap<>();
    private Running migrate;

    @BeforeAll
    void unpackAndMigrate() throws Exception {
        Assumptions.assumeTrue("tar".equals(System.getProperty("image.format")),
                "images were built into a Docker engine (docker-images profile): run them with docker compose");
        assertThat(System.getProperty("user.name")).as("ImageSmokeIT unpacks images and mounts /proc: run it as root "
                + "(CI does), or build with Docker, where the docker-images profile skips it").isEqualTo("root");
        try (var c = DriverManager.getConnection(adminUrl(), services.username(), services.password()); var s = c.createStatement()) {
            s.execute("create database " + database);
        }
        migrate = start(image("web-service"), Map.of(), "migrate");
        assertThat(migrate.process.waitFor(90, TimeUnit.SECONDS)).as(migrate.text()).isTrue();
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (migrate == null) {
            return;
        }
        for (Path root : roots) {
            run(List.of("umount", root.resolve("proc").toString()), true);
            // The whole folder: the unpacked image (its layer tars, ~100 MB) beside the rootfs too.
            try (Stream<Path> files = Files.walk(root.getParent())) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        RedisKeys.deleteAll(services, prefix + ":*");
        try (var c = DriverManager.getConnection(adminUrl(), services.username(), services.password()); var s = c.createStatement()) {
            s.execute("drop database if exists " + database + " with (force)");
        }
    }

    private String adminUrl() {
        return "jdbc:postgresql://" + services.postgresHost() + ":" + services.postgresPort() + "/postgres";
    }

    @Test
    void webImageMigratesAndServes() throws Exception {
        Image web = image("web-service");
        assertImageConventions(web, "8000/tcp");
        assertThat(migrate.process.exitValue()).as(migrate.text()).isZero();
        int migrations = migrations();
        assertThat(migrate.text()).contains("migrate: applied " + migrations + " migration(s); schema at version " + migrations);
        assertReadyThenStops(web, "/api/health-check/", 256);
    }

    @Test
    void workerImageServes() throws Exception {
        Image worker = image("worker-service");
        assertImageConventions(worker, "8001/tcp");
        assertReadyThenStops(worker, null, 384);
    }

    @Test
    void beatImageServes() throws Exception {
        Image beat = image("beat-service");
        assertImageConventions(beat, "8002/tcp");
        assertReadyThenStops(beat, null, 96);
    }

    /** The migrations the build ships (V1..Vn, numbered without gaps). */
    private static int migrations() {
        try (var files = java.nio.file.Files.list(Repo.file("shared-model/src/main/resources/db/migration"))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertImageConventions(Image image, String port) {
        assertThat(image.entrypoint().get(0)).as("the JVM is the entrypoint, no shell wrapper").isEqualTo("java");
        assertThat(image.entrypoint()).contains("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50.0", "-XX:+ExitOnOutOfMemoryError", "-jar");
        assertThat(image.user()).as("non-root").isNotIn("", "0", "root");
        assertThat(image.exposedPorts()).containsExactly(port);
    }

    /** Runs the image as deploy/app.yaml does (its heap from JDK_JAVA_OPTIONS) until ready, then SIGTERM. */
    private void assertReadyThenStops(Image image, String extraPath, int heapMb) throws Exception {
        assertThat(migrate.process.exitValue()).as("the schema is migrated: " + migrate.text()).isZero();
        int port = PackagedService.freePort();
        int management = PackagedService.freePort();
        String heap = "-Xms32m -Xmx" + heapMb + "m";
        Running service = start(image, Map.of("PORT", Integer.toString(port), "MANAGEMENT_PORT", Integer.toString(management),
                "JDK_JAVA_OPTIONS", heap));
        try {
            // Web serves its probes on the management port; worker and beat on their PORT.
            int probes = extraPath != null ? management : port;
            awaitStatus(service, probes, "/q/health/ready", 200, Duration.ofSeconds(90));
            assertThat(service.text()).as("the launcher took the heap from the environment").contains("Picked up JDK_JAVA_OPTIONS: " + heap);
            if (extraPath != null) {
                assertThat(status(port, extraPath)).isEqualTo(200);
            }
        } finally {
            // SIGTERM, straight to the JVM. (Process.destroy() would also close our end of its
            // stdout, and the shutdown lines would be lost.)
            service.process.toHandle().destroy();
        }
        assertThat(service.process.waitFor(40, TimeUnit.SECONDS)).as("stops on SIGTERM: " + service.text()).isTrue();
        assertThat(service.process.exitValue()).as("exit code after SIGTERM: " + service.text()).isIn(0, 143);
        assertThat(service.text()).as("graceful shutdown logged").contains("stopped in");
    }

    private int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void awaitStatus(Running service, int port, String path, int expected, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .failFast("the process exited", () -> !service.process.isAlive())
                    .until(() -> status(port, path) == expected);
        } catch (RuntimeException e) {
            throw new AssertionError(path + " not " + expected + " within " + timeout + ":\n" + service.text(), e);
        }
    }

    record Running(Process process, List<String> output, Thread reader) {
        /** Everything printed; after the process ended, waits for the reader to reach the end. */
        String text() {
            if (!process.isAlive()) {
                try {
                    reader.join(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return String.join("\n", output);
        }
    }

    /** Runs the image's entrypoint (plus {@code args}) in its root file system, as its user, in its working directory. */
    private Running start(Image image, Map<String, String> extraEnv, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("unshare", "--root=" + image.rootfs(), "--wd=" + image.workingDir(),
                "--setgid", "0", "--setuid", image.user()));
        command.addAll(image.entrypoint());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(image.env());
        env.putAll(services.asEnvironment());
        env.put("POSTGRES_NAME", database);
        env.put("SECRET_KEY", "image-smoke-" + UUID.randomUUID() + UUID.randomUUID());
        env.put("APP_QUEUE_PREFIX", prefix);
        env.putAll(extraEnv);
        Process process = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // ended
            }
        });
        return new Running(process, output, reader);
    }

    private synchronized Image image(String module) throws Exception {
        if (!images.containsKey(module)) {
            images.put(module, unpack(module));
        }
        return images.get(module);
    }

    /** Unpacks {@code <module>/target/jib-image.tar}: layers in manifest order, then reads the image config. */
    @SuppressWarnings("unchecked")
    private Image unpack(String module) throws Exception {
        Path tar = Repo.file(module + "/target/jib-image.tar");
        assertThat(tar).as("image tar built by 'mvnw package' (image-tars profile)").exists();
        Path dir = Files.createTempDirectory("image-" + module + "-");
        roots.add(dir.resolve("rootfs"));
        Path image = dir.resolve("image");
        Files.createDirectories(image);
        run(List.of("tar", "-xf", tar.toString(), "-C", image.toString()), false);
        Yaml json = new Yaml();
        List<Map<String, Object>> manifest = (List<Map<String, Object>>) json.load(Files.readString(image.resolve("manifest.json")));
        assertThat(manifest.get(0).get("RepoTags").toString()).contains("stepbystep/" + module + ":" + System.getProperty("image.tag", ""));
        Path rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs);
        for (Object layer : (List<Object>) manifest.get(0).get("Layers")) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xf", image.resolve(layer.toString()).toString(), "-C", rootfs.toString()), false);
        }
        Map<String, Object> config = (Map<String, Object>) ((Map<String, Object>) json.load(
                Files.readString(image.resolve(manifest.get(0).get("Config").toString())))).get("config");
        Map<String, String> env = new HashMap<>();
        for (Object e : (List<Object>) config.getOrDefault("Env", List.of())) {
            String s = e.toString();
            env.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("tmp"));
        run(List.of("chmod", "1777", rootfs.resolve("tmp").toString()), false);
        run(List.of("mount", "-t", "proc", "proc", rootfs.resolve("proc").toString()), false);
        String workingDir = String.valueOf(config.getOrDefault("WorkingDir", "/"));
        Files.createDirectories(rootfs.resolve(workingDir.substring(1)));
        List<String> ports = new ArrayList<>(((Map<String, Object>) config.getOrDefault("ExposedPorts", Map.of())).keySet());
        return new Image(rootfs, (List<String>) config.get("Entrypoint"), workingDir, String.valueOf(config.getOrDefault("User", "")),
                env, ports);
    }

    private static void run(List<String> command, boolean tolerateFailure) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || (p.exitValue() != 0 && !tolerateFailure)) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
