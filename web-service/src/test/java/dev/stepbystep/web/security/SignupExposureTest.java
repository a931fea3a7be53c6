package dev.stepbystep.web.security;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What sign-up tells a stranger: not whether an address has an account (by the answer's time),
 * and not who signed up without confirming (the public user list shows active accounts only).
 */
@QuarkusTest
class SignupExposureTest {

    private final TestUsers users = new TestUsers();

    @AfterEach
    void cleanUp() {
        users.close();
    }

    private long registerMillis(String email) {
        long t0 = System.nanoTime();
        given().contentType(ContentType.JSON).body("{\"email\":\"" + email + "\",\"password\":\"a long password\"}").post("/api/register/")
                .then().statusCode(org.hamcrest.Matchers.oneOf(201, 400));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @Test
    void anAddressWithAnAccountIsRefusedAfterAsMuchWorkAsANewOneIsAccepted() {
        String existing = users.user("taken").email(); // active, so every sign-up of it is refused
        long[] fresh = new long[7];
        long[] taken = new long[7];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = registerMillis(users.uniqueEmail("fresh"));
            taken[i] = registerMillis(existing);
        }
        // The password hash dominates both (tens of ms); without it a refusal took a few ms.
        assertThat(median(taken)).as("refusals %s vs sign-ups %s ms", Arrays.toString(taken), Arrays.toString(fresh))
                .isGreaterThanOrEqualTo(median(fresh) / 3);
    }

    @Test
    void theAnonymousUserListShowsActiveAccountsOnlyAndStaffSeeAll() {
        String pending = users.uniqueEmail("unconfirmed");
        registerMillis(pending);
        long id = QuarkusTransaction.requiringNew().call(() -> User.findByEmail(pending)).orElseThrow().id;
        TestUsers.TestUser staff = users.staff("auditor");

        int anonymousCount = given().get("/api/users/").then().statusCode(200).extract().path("count");
        int staffCount = given().auth().oauth2(staff.access()).get("/api/users/").then().statusCode(200).extract().path("count");
        long inactive = QuarkusTransaction.requiringNew().call(() -> User.count("active", false));
        assertThat(staffCount - anonymousCount).isEqualTo((int) inactive);
        given().get("/api/users/" + id + "/").then().statusCode(404);
        given().auth().oauth2(staff.access()).get("/api/users/" + id + "/").then().statusCode(200);
    }
}
