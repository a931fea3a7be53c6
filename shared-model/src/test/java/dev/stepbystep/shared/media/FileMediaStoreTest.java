package dev.stepbystep.shared.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The filesystem store: objects under MEDIA_ROOT, and URLs signed and expiring like presigned ones. */
class FileMediaStoreTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @TempDir
    Path root;

    private FileMediaStore store(Instant now) {
        return new FileMediaStore(root, "k".repeat(40), Duration.ofMinutes(15), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void storesReadsAndDeletes() {
        FileMediaStore store = store(NOW);
        String key = MediaKeys.original(ImageFormat.PNG);
        store.put(key, new byte[] {1, 2, 3}, "image/png");
        assertThat(store.get(key)).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
        assertThat(Files.isRegularFile(root.resolve(key))).isTrue();
        store.delete(key);
        store.delete(key); // twice is fine
        assertThat(store.get(key)).isEmpty();
        assertThat(Files.exists(root.resolve(key).getParent())).as("the post's directory goes with its last image").isFalse();
    }

    @Test
    void aUrlWorksUntilItExpiresAndOnlyAsSigned() {
        FileMediaStore store = store(NOW);
        String key = MediaKeys.original(ImageFormat.JPEG);
        URI url = store.url(key, URI.create("https://api.example.com/api/posts/"));
        assertThat(url.toString()).startsWith("https://api.example.com/media/" + key + "?expires=");
        Matcher m = Pattern.compile("expires=(\\d+)&signature=([0-9a-f]+)").matcher(url.getQuery());
        assertThat(m.find()).isTrue();
        String expires = m.group(1);
        String signature = m.group(2);

        assertThat(store.verify(key, expires, signature)).isTrue();
        assertThat(store(NOW.plus(Duration.ofMinutes(16))).verify(key, expires, signature)).as("expired").isFalse();
        assertThat(store.verify(key, Long.toString(Long.parseLong(expires) + 3600), signature)).as("extended").isFalse();
        assertThat(store.verify(MediaKeys.original(ImageFormat.JPEG), expires, signature)).as("another key").isFalse();
        assertThat(store.verify(key, expires, signature.replace(signature.charAt(0), signature.charAt(0) == 'a' ? 'b' : 'a'))).isFalse();
        assertThat(new FileMediaStore(root, "x".repeat(40), Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(key, expires, signature)).as("another SECRET_KEY").isFalse();
        assertThat(store.verify(key, null, signature)).isFalse();
        assertThat(store.verify(key, "soon", signature)).isFalse();
    }

    @Test
    void onlyMediaKeysNameFiles() {
        FileMediaStore store = store(NOW);
        for (String bad : new String[] {"../etc/passwd", "posts/../../x", "/etc/passwd", "posts/x/original.png", "",
                "posts/0b9f4a6c-3b1e-4c8a-9d2e-1f2a3b4c5d6e/original.svg"}) {
            assertThat(MediaKeys.isKey(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> store.put(bad, new byte[] {1}, "image/png")).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.verify(bad, "9999999999", "00")).isFalse();
        }
        assertThat(MediaKeys.display("posts/0b9f4a6c-3b1e-4c8a-9d2e-1f2a3b4c5d6e/original.webp", ImageFormat.PNG))
                .isEqualTo("posts/0b9f4a6c-3b1e-4c8a-9d2e-1f2a3b4c5d6e/display.png");
    }
}
