package dev.stepbystep.web.security;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

/**
 * Passwords: common, numeric and blank ones are refused at sign-up, every byte of a long one
 * counts, and a hash of the earlier scheme (plain bcrypt) still logs in and is upgraded.
 */
@QuarkusTest
class PasswordPolicyTest {

    private final TestUsers users = new TestUsers();

    @AfterEach
    void cleanUp() {
        users.close();
    }

    private static String body(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }

    private long activeUser(String email, String hash) {
        return QuarkusTransaction.requiringNew().call(() -> {
            User u = new User();
            u.email = email;
            u.passwordHash = hash;
            u.active = true;
            u.persist();
            return u.id;
        });
    }

    private int login(String email, String password) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100." + (1 + (int) (Math.random() * 250)))
                .body(body(email, password)).post("/api/token/").statusCode();
    }

    @Test
    void commonNumericAndBlankPasswordsAreRefusedAtSignUp() {
        for (String weak : new String[] {"12345678", "password", "        ", "Password123", "qwertyuiop", "aaaaaaaaaa", "9876543210123"}) {
            given().contentType(ContentType.JSON).body(body(users.uniqueEmail("weak"), weak)).post("/api/register/")
                    .then().statusCode(400).contentType("application/problem+json").body("detail", startsWith("password: "));
        }
        given().contentType(ContentType.JSON).body(body(users.uniqueEmail("strong"), "correct horse battery staple"))
                .post("/api/register/").then().statusCode(201);
    }

    @Test
    void everyByteOfALongPasswordCounts() {
        String password = "a-very-long-passphrase-".repeat(5); // 115 characters, past bcrypt's 72 bytes
        String email = users.uniqueEmail("long");
        activeUser(email, dev.stepbystep.web.auth.AuthService.hash(password));
        assertThat(login(email, password.substring(0, 72))).isEqualTo(401);
        assertThat(login(email, password.substring(0, 100))).isEqualTo(401);
        assertThat(login(email, password)).isEqualTo(200);
    }

    @Test
    void aPlainBcryptHashStillLogsInAndIsUpgraded() {
        String email = users.uniqueEmail("legacy");
        long id = activeUser(email, BcryptUtil.bcryptHash(TestUsers.PASSWORD, 10));
        String access = given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.77")
                .body(body(email, TestUsers.PASSWORD)).post("/api/token/").then().statusCode(200).extract().path("access");
        // The upgrade is not an access change: the token this very login issued keeps working.
        org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofMillis(1500)).atMost(java.time.Duration.ofSeconds(3))
                .until(() -> given().auth().oauth2(access).get("/api/profile/").statusCode() == 200);
        String hash = QuarkusTransaction.requiringNew().call(() -> User.<User>findById(id).passwordHash);
        assertThat(hash).startsWith("bcrypt_sha256$");
        assertThat(login(email, TestUsers.PASSWORD)).isEqualTo(200);
        assertThat(login(email, "wrong " + TestUsers.PASSWORD)).isEqualTo(401);
    }
}
