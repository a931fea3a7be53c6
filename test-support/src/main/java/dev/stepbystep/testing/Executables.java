package dev.stepbystep.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a command-line tool the tests run: on PATH, else in pyenv's shims folder (where this
 * machine keeps moto_server, cfn-lint and aws, and where CI's shell may not look).
 */
public final class Executables {

    private Executables() {
    }

    public static Path pyenvShims() {
        return Path.of(System.getProperty("user.home"), ".pyenv", "shims");
    }

    /** The tool's path, or an exception saying it is missing and {@code installHint}. */
    public static String find(String name, String installHint) {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, name));
            }
        }
        candidates.add(pyenvShims().resolve(name));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(name + " not found on PATH or in " + pyenvShims() + "; " + installHint));
    }
}
