package dev.stepbystep.web.jobs;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** With Redis unreachable, enqueueing answers 503 at once and leaves nothing half-done. */
@QuarkusTest
@TestProfile(RedisDownTest.RedisUnreachable.class)
class RedisDownTest {

    public static class RedisUnreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("REDIS_SERVICE_PORT", "1", "quarkus.redis.timeout", "2S");
        }
    }

    private final TestUsers users = new TestUsers();

    @AfterEach
    void cleanUp() {
        users.close();
    }

    @Test
    void registrationIs503AndCreatesNoAccount() {
        String email = users.uniqueEmail("later");
        long start = System.nanoTime();
        given().contentType(ContentType.JSON).body("{\"email\":\"" + email + "\",\"password\":\"a long password\"}")
                .post("/api/register/").then().statusCode(503).header("Retry-After", equalTo("5"))
                .contentType("application/problem+json");
        assertThat((System.nanoTime() - start) / 1_000_000).as("answered without hanging").isLessThan(10_000);
        assertThat(QuarkusTransaction.requiringNew().call(() -> User.findByEmail(email))).isEmpty();
    }
}
