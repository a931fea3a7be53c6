package dev.stepbystep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code moto_server} (local AWS API emulator) started by a test on 127.0.0.1 and a free port,
 * stopped on {@link #close()}. Found on PATH or in the pyenv shims folder; a machine without it
 * fails the test with a message saying what to install, rather than skipping.
 */
public final class MotoServer implements AutoCloseable {

    /** Access keys moto accepts (any are accepted unless IAM checks are switched on). */
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";

    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static MotoServer start() {
        return start(Map.of());
    }

    /** {@code env} is added to moto's environment, e.g. {@code INITIAL_NO_AUTH_ACTION_COUNT=0} to enforce IAM. */
    public static MotoServer start(Map<String, String> env) {
        int port = PackagedService.freePort();
        ProcessBuilder builder = new ProcessBuilder(binary(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        try {
            MotoServer moto = new MotoServer(builder.start(), port);
            moto.awaitListening(Duration.ofSeconds(30));
            return moto;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start moto_server", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Environment for a process that should talk to this emulator as its AWS. */
    public Map<String, String> awsEnvironment() {
        return Map.of("AWS_ENDPOINT_URL", endpoint(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    private void awaitListening(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        close();
        throw new IllegalStateException("moto_server did not listen on " + port + " within " + timeout);
    }

    private static String binary() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "moto_server"));
            }
        }
        candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", "moto_server"));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("moto_server not found on PATH or in ~/.pyenv/shims; "
                        + "install it with: pip install 'moto[server]'"));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }
}
