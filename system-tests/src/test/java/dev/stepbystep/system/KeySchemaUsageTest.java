package dev.stepbystep.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Redis key comes from {@code KeySchema}: no main source file outside it glues a key
 * together from the prefix or a {@code ":name:"} literal. test-support is exempt: its
 * {@code ExternalProducer} plays a producer outside this code base, writing the documented
 * layout by hand on purpose.
 */
class KeySchemaUsageTest {

    /** A literal that starts a key segment (":job:", ":limit:") or the prefix glued to something. */
    private static final Pattern KEY_BUILDING = Pattern.compile("\"[:][a-z][a-z-]*[:\"]|\\bprefix\\(\\)\\s*\\+");

    static List<String> offenders(Path root) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.startsWith(root.resolve("test-support")))
                    .filter(p -> !p.getFileName().toString().equals("KeySchema.java"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .forEach(p -> {
                        try {
                            List<String> lines = Files.readAllLines(p);
                            for (int i = 0; i < lines.size(); i++) {
                                if (KEY_BUILDING.matcher(lines.get(i)).find()) {
                                    found.add(root.relativize(p) + ":" + (i + 1) + ": " + lines.get(i).strip());
                                }
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    @Test
    void noRedisKeyIsBuiltOutsideTheKeySchema() {
        assertThat(offenders(Repo.root())).as("Redis keys built outside KeySchema").isEmpty();
    }

    @Test
    void aKeyGluedTogetherByHandIsFound(@TempDir Path dir) throws IOException {
        Path source = dir.resolve("web-service/src/main/java/dev/x/Cache.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                class Cache {
                    String a(QueueConfig c, long id) { return c.prefix() + ":posts:liked-by:" + id; }
                    String b(String p) { return p + ":limit:" + 1; }
                    String fine() { return "a:b"; }
                }
                """);
        assertThat(offenders(dir)).hasSize(2);
    }
}
