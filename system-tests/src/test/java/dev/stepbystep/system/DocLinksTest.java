package dev.stepbystep.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link in the README, the module READMEs and {@code docs/} resolves: the file
 * exists, and a {@code #fragment} names a heading of it (GitHub's anchor rules). Web links are
 * not fetched (the CI machine has no internet). The README stays a front page, not a manual.
 */
class DocLinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+?) *#*$");

    static List<Path> documents(Path root) {
        List<Path> docs = new ArrayList<>();
        try (Stream<Path> top = Files.list(root)) {
            top.forEach(p -> {
                if (p.getFileName().toString().equals("README.md")) {
                    docs.add(p);
                } else if (Files.isRegularFile(p.resolve("README.md"))) {
                    docs.add(p.resolve("README.md"));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dir = root.resolve("docs");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> pages = Files.list(dir)) {
                pages.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return docs;
    }

    static List<String> brokenLinks(Path root) {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents(root)) {
            boolean fenced = false;
            List<String> lines = read(doc);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("```")) {
                    fenced = !fenced;
                }
                if (fenced) {
                    continue;
                }
                Matcher m = LINK.matcher(line);
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue; // https:, mailto:
                    }
                    String where = root.relativize(doc) + ":" + (i + 1) + ": " + target;
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                    if (!Files.exists(resolved)) {
                        broken.add(where + " (no such file)");
                    } else if (hash >= 0 && (!resolved.toString().endsWith(".md") || !anchors(resolved).contains(target.substring(hash + 1)))) {
                        broken.add(where + " (no such heading)");
                    }
                }
            }
        }
        return broken;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    static Set<String> anchors(Path doc) {
        Set<String> anchors = new HashSet<>();
        boolean fenced = false;
        for (String line : read(doc)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                String slug = m.group(1).replaceAll("`", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                String unique = slug;
                for (int n = 1; anchors.contains(unique); n++) {
                    unique = slug + "-" + n;
                }
                anchors.add(unique);
            }
        }
        return anchors;
    }

    private static List<String> read(Path doc) {
        try {
            return Files.readAllLines(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyRelativeLinkResolves() {
        assertThat(documents(Repo.root())).hasSizeGreaterThan(8);
        assertThat(brokenLinks(Repo.root())).as("broken links").isEmpty();
    }

    @Test
    void theReadmeIsAFrontPage() {
        assertThat(read(Repo.file("README.md"))).as("README.md lines").hasSizeLessThan(150);
    }

    @Test
    void aMissingFileOrHeadingIsFound(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/jobs.md"), "# Jobs\n\n## Why an outbox\n\n```\n# not a heading\n```\n");
        Files.writeString(dir.resolve("README.md"), """
                [ok](docs/jobs.md) [ok](docs/jobs.md#why-an-outbox) [web](https://example.com/x)
                [gone](docs/nope.md) [no heading](docs/jobs.md#why-redis) [fenced](docs/jobs.md#not-a-heading)
                """);
        assertThat(brokenLinks(dir)).hasSize(3);
    }
}
