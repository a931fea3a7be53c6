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
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.JobState;
import dev.stepbystep.jobs.client.JobStatus;
import jakarta.inject.Inject;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * With Redis unreachable: a sign-up still succeeds (its email job waits in the outbox, in the
 * account's own transaction) and its job reads as queued; an enqueue that writes nothing to the
 * database answers 503 at once.
 */
@QuarkusTest
@TestProfile(RedisDownTest.RedisUnreachable.class)
class RedisDownTest {

    public static class RedisUnreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("REDIS_SERVICE_PORT", "1", "quarkus.redis.timeout", "2S");
        }
    }

    @Inject
    JobQueue jobs;

    private final TestUsers users = new TestUsers();

    @AfterEach
    void cleanUp() {
        users.close();
    }

    @Test
    void registrationIs201AndItsEmailJobWaitsInTheOutboxAsQueued() {
        String email = users.uniqueEmail("later");
        long start = System.nanoTime();
        String jobId = given().contentType(ContentType.JSON).body("{\"email\":\"" + email + "\",\"password\":\"a long password\"}")
                .post("/api/register/").then().statusCode(201).extract().jsonPath().getString("job_id");
        assertThat((System.nanoTime() - start) / 1_000_000).as("answered without waiting for Redis").isLessThan(2_000);
        User user = QuarkusTransaction.requiringNew().call(() -> User.findByEmail(email)).orElseThrow();
        try {
            JobStatus status = jobs.status(jobId).orElseThrow();
            assertThat(status.state()).isEqualTo(JobState.QUEUED);
            assertThat(status.task()).isEqualTo("accounts.send_confirmation_email");
            assertThat(status.ownerId()).isEqualTo(user.id);
        } finally {
            QuarkusTransaction.requiringNew().run(() -> io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                    .createNativeQuery("delete from job_outbox where owner_id = ?1").setParameter(1, user.id).executeUpdate());
        }
    }

    @Test
    void anEnqueueOutsideATransactionIs503() {
        TestUsers.TestUser staff = users.staff("ops");
        given().auth().oauth2(staff.access()).post("/api/email-admins/").then().statusCode(503)
                .header("Retry-After", equalTo("5")).contentType("application/problem+json");
    }
}
