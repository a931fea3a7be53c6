package dev.stepbystep.web.seed;

import dev.stepbystep.shared.posts.Post;
import dev.stepbystep.web.ReleaseProfile;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * The seed apps' optional features, switched on (WEB_DEBUG_ENDPOINTS, WEB_ANONYMOUS_POSTS): the
 * debug page's deliberate 500, and posts without an account, limited per client address and
 * changed by staff only. With the defaults both are off (PostApiTest, ApiSurfaceTest).
 */
@QuarkusTest
@TestProfile(ReleaseProfile.class)
class SeedOptionsTest {

    private final TestUsers users = new TestUsers();
    private final String tag = "anon-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void cleanUp() {
        users.close();
        QuarkusTransaction.requiringNew().run(() -> Post.delete("body like ?1", tag + "%"));
    }

    /** Client addresses nobody else uses, so each test starts with a fresh per-address limit. */
    private static String address() {
        long r = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        return String.format("2001:db8:%x:%x:%x:%x::1", (r >>> 48) & 0xffff, (r >>> 32) & 0xffff, (r >>> 16) & 0xffff, r & 0xffff);
    }

    @Test
    void triggerExceptionAnswersTheSeeds500AndLogsOneErrorWithItsStack() {
        List<LogRecord> errors = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            given().post("/api/exception/").then().statusCode(500).contentType("application/problem+json")
                    .body("detail", equalTo("Exception message from the API server")).body("status", equalTo(500));
        } finally {
            root.removeHandler(capture);
        }
        assertThat(errors).singleElement().satisfies(r -> assertThat(r.getThrown()).isNotNull()
                .hasMessage("Exception message from the API server"));
    }

    @Test
    void anAnonymousPostHasNoAuthorInEveryCreateRoute() {
        String address = address();
        given().header("X-Forwarded-For", address).contentType(ContentType.JSON).body("{\"body\":\"" + tag + " json\"}")
                .post("/api/posts/").then().statusCode(201).body("created_by", nullValue()).body("body", equalTo(tag + " json"));
        given().header("X-Forwarded-For", address).multiPart("body", tag + " quasar")
                .post("/api/drf/fbv/posts/new/").then().statusCode(201).body("created_by", nullValue());
        // Validation as for anyone else, and an invalid post does not count against the limit.
        given().header("X-Forwarded-For", address()).contentType(ContentType.JSON).body("{\"body\":\"\"}")
                .post("/api/posts/").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/posts/?search=" + tag).then().statusCode(200).body("count", equalTo(2));
    }

    @Test
    void anonymousPostsAreLimitedPerClientAddressAndNothingIsStoredPastTheLimit() {
        String address = address();
        for (int i = 0; i < ReleaseProfile.ANONYMOUS_POSTS_PER_ADDRESS; i++) {
            given().header("X-Forwarded-For", address).contentType(ContentType.JSON).body("{\"body\":\"" + tag + " " + i + "\"}")
                    .post("/api/posts/").then().statusCode(201);
        }
        given().header("X-Forwarded-For", address).contentType(ContentType.JSON).body("{\"body\":\"" + tag + " over\"}")
                .post("/api/posts/").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        assertThat(QuarkusTransaction.requiringNew().call(() -> Post.count("body", tag + " over"))).isZero();
        // Another address is not held back by this one, and a logged-in user is not limited by it.
        given().header("X-Forwarded-For", address()).contentType(ContentType.JSON).body("{\"body\":\"" + tag + " other\"}")
                .post("/api/posts/").then().statusCode(201);
        var user = users.user("poster");
        given().header("X-Forwarded-For", address).auth().oauth2(user.access()).contentType(ContentType.JSON)
                .body("{\"body\":\"" + tag + " mine\"}").post("/api/posts/").then().statusCode(201);
    }

    @Test
    void onlyStaffMayEditOrDeleteAnAnonymousPost() {
        long id = given().header("X-Forwarded-For", address()).contentType(ContentType.JSON).body("{\"body\":\"" + tag + " edit me\"}")
                .post("/api/posts/").then().statusCode(201).extract().jsonPath().getLong("id");
        var user = users.user("someone");
        var staff = users.staff("moderator");
        given().contentType(ContentType.JSON).body("{\"body\":\"" + tag + " hijacked\"}").put("/api/posts/" + id + "/").then().statusCode(401);
        given().auth().oauth2(user.access()).contentType(ContentType.JSON).body("{\"body\":\"" + tag + " hijacked\"}")
                .put("/api/posts/" + id + "/").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(user.access()).delete("/api/posts/" + id + "/").then().statusCode(403);
        given().auth().oauth2(staff.access()).contentType(ContentType.JSON).body("{\"body\":\"" + tag + " moderated\"}")
                .put("/api/posts/" + id + "/").then().statusCode(200).body("body", equalTo(tag + " moderated")).body("created_by", nullValue());
        given().auth().oauth2(staff.access()).delete("/api/drf/fbv/posts/" + id + "/delete/").then().statusCode(204);
        given().get("/api/posts/" + id + "/").then().statusCode(404);
    }
}
