package dev.stepbystep.web;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Environment of the web tests beyond the backing services: an admin address to email, and a
 * directory of their own for the filesystem image store (deleted at the end).
 */
public class WebTestConfig implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_EMAIL = "ops@example.com";

    /** MEDIA_ROOT of the web tests. */
    public static final java.nio.file.Path MEDIA_ROOT = mediaRoot();

    private static java.nio.file.Path mediaRoot() {
        try {
            return java.nio.file.Files.createTempDirectory("web-test-media");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of("ADMIN_EMAIL", ADMIN_EMAIL, "MEDIA_ROOT", MEDIA_ROOT.toString());
    }

    @Override
    public void stop() {
        try (var files = java.nio.file.Files.walk(MEDIA_ROOT)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory: the OS cleans what is left
        }
    }
}
