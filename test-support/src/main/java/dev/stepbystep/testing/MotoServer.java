package dev.stepbystep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

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
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .failFast("moto_server exited", () -> !process.isAlive())
                    .until(this::listening);
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("moto_server did not listen on " + port + " within " + timeout, e);
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String binary() {
        return Executables.find("moto_server", "install it with: pip install 'moto[server]'");
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
