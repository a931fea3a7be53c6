package dev.stepbystep.web;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * A deploy's settings that differ from the defaults, in one profile so the tests that need any
 * of them share one application start: a release tag, the seed apps' optional features (debug
 * endpoints, anonymous posts with a small per-address limit).
 */
public class ReleaseProfile implements QuarkusTestProfile {

    public static final String SOURCE_TAG = "v2026.11.26-abc123";
    public static final int ANONYMOUS_POSTS_PER_ADDRESS = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("SOURCE_TAG", SOURCE_TAG,
                "WEB_DEBUG_ENDPOINTS", "true",
                "WEB_ANONYMOUS_POSTS", "true",
                "WEB_ANONYMOUS_POSTS_PER_ADDRESS", Integer.toString(ANONYMOUS_POSTS_PER_ADDRESS));
    }
}
