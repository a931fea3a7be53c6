package dev.stepbystep.web.health;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** SOURCE_TAG set for a release is what /api/version/ reports. */
@QuarkusTest
@TestProfile(SourceTagOverrideTest.Release.class)
class SourceTagOverrideTest {

    public static class Release implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("SOURCE_TAG", "v2026.11.26-abc123");
        }
    }

    @Test
    void versionShowsTheReleaseTag() {
        given().get("/api/version/").then().statusCode(200).body("version", equalTo("v2026.11.26-abc123"));
    }
}
