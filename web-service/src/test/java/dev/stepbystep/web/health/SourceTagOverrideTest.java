package dev.stepbystep.web.health;

import io.quarkus.test.junit.QuarkusTest;
import dev.stepbystep.web.ReleaseProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** SOURCE_TAG set for a release is what /api/version/ reports. */
@QuarkusTest
@TestProfile(ReleaseProfile.class)
class SourceTagOverrideTest {

    @Test
    void versionShowsTheReleaseTag() {
        given().get("/api/version/").then().statusCode(200).body("version", equalTo(ReleaseProfile.SOURCE_TAG));
    }
}
