package dev.stepbystep.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Runs a packaged service ({@code target/quarkus-app/quarkus-run.jar}, given to failsafe as the
 * {@code service.jar} system property) as a separate process with a chosen environment, exactly
 * as an operator or ECS would, and reads its output and its HTTP endpoints.
 */
public final class PackagedService implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * JVM options of every service a test starts (system property {@code service.jvm.options},
     * space-separated; empty for none). The default, C1 only and the serial collector, changes how
     * much CPU a JVM spends starting, not what the service does: the suite starts some 60
     * services on a 2-core machine, and C2 compiling for a process that lives seconds took a
     * third of each start's CPU. The image smoke test runs the images' own entrypoint instead.
     */
    static final List<String> JVM_OPTIONS = List.of(System.getProperty("service.jvm.options",
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC").trim().split("\\s+")).stream().filter(o -> !o.isEmpty()).toList();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private PackagedService(Process process, int port, int managementPort) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        Thread.ofVirtual().start(this::collectOutput);
    }

    /** Starts the jar of the module under test with {@code env} added to (and overriding) this JVM's environment. */
    public static PackagedService start(Map<String, String> env, String... args) {
        return start(serviceJar(), env, args);
    }

    public static PackagedService start(Path jar, Map<String, String> env, String... args) {
        int port = env.containsKey("PORT") ? Integer.parseInt(env.get("PORT")) : freePort();
        // Services with a management interface (web) serve health and metrics there.
        int managementPort = env.containsKey("MANAGEMENT_PORT") ? Integer.parseInt(env.get("MANAGEMENT_PORT")) : freePort();
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
        try {
            return new PackagedService(builder.start(), port, managementPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar, e);
        }
    }

    public static Path serviceJar() {
        String jar = System.getProperty("service.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property service.jar must name a packaged quarkus-run.jar, got " + jar
                    + " (run through 'mvnw verify', which packages before integration tests)");
        }
        return Path.of(jar);
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    /** Everything the process printed so far, one entry per line. */
    public List<String> output() {
        return List.copyOf(output);
    }

    public String outputText() {
        return String.join("\n", output);
    }

    /** Status code of GET {@code path} on the service, or -1 when nothing answers. */
    public int status(String path) {
        return get(path).statusCode();
    }

    /**
     * GET {@code path}. Health and metrics paths go to the management port when the service has
     * one (web), else to its HTTP port (worker and beat serve them there); see {@link #getPublic}.
     */
    public Response get(String path) {
        if (path.startsWith("/q/health") || path.startsWith("/q/metrics")) {
            Response managed = get(managementPort, path);
            if (managed.statusCode() != -1) {
                return managed;
            }
        }
        return get(port, path);
    }

    /** GET {@code path} on the service's HTTP port, whatever the path. */
    public Response getPublic(String path) {
        return get(port, path);
    }

    public int managementPort() {
        return managementPort;
    }

    private static Response get(int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Response(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, e.toString());
        }
    }

    public record Response(int statusCode, String body) {
    }

    /**
     * Sends SIGTERM, as ECS and docker stop do. Through the process handle: Process.destroy()
     * would also close our end of its output, losing what it prints while it shuts down.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Sends SIGSTOP: the process freezes, as a VM pause or a long GC stall would freeze it. */
    public void pause() {
        signal("STOP");
    }

    /** Sends SIGCONT after {@link #pause}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends SIGKILL. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Waits for the process to end and returns its exit code, or fails after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("process still running after " + timeout + "; output:\n" + outputText());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private void collectOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
