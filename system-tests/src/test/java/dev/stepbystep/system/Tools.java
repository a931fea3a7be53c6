package dev.stepbystep.system;

import dev.stepbystep.testing.Executables;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Command-line tools the checks use (cfn-lint, bash scripts), found on PATH or in pyenv's shims. */
final class Tools {

    private Tools() {
    }

    record Result(int exit, String output) {
    }

    static String find(String name) {
        return Executables.find(name, "install it (see docs/development.md, \"Running the tests\")");
    }

    /** Runs {@code command} with {@code env} added, and returns its exit code and output (stdout and stderr). */
    static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        return run(command, env, 300);
    }

    /** As {@link #run(List, Map)}, waiting at most {@code timeoutSeconds} (a Maven build takes minutes). */
    static Result run(List<String> command, Map<String, String> env, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (env != null) {
            builder.environment().putAll(env);
        }
        String shims = Executables.pyenvShims().toString();
        builder.environment().merge("PATH", shims, (a, b) -> a + ":" + b);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish: " + out);
        }
        return new Result(p.exitValue(), out.strip());
    }
}
