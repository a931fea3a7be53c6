package dev.stepbystep.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, name));
            }
        }
        candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", name));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(name + " not found on PATH or in ~/.pyenv/shims"));
    }

    /** Runs {@code command} with {@code env} added, and returns its exit code and output (stdout and stderr). */
    static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (env != null) {
            builder.environment().putAll(env);
        }
        String shims = Path.of(System.getProperty("user.home"), ".pyenv", "shims").toString();
        builder.environment().merge("PATH", shims, (a, b) -> a + ":" + b);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish: " + out);
        }
        return new Result(p.exitValue(), out.strip());
    }
}
