package dev.stepbystep.web.security;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Privileges end when they are removed, not when the token expires: a deactivated user's token,
 * a demoted staff member's, and a logged-out browser's stop working within about a second,
 * whoever made the change (here: SQL by hand, as an operator would).
 */
@QuarkusTest
class AccessRevocationTest {

    private final TestUsers users = new TestUsers();

    @AfterEach
    void cleanUp() {
        users.close();
    }

    private static int postAs(String access) {
        return given().auth().oauth2(access).contentType(ContentType.JSON).body("{\"body\":\"still here?\"}").post("/api/posts/").statusCode();
    }

    @Test
    void aDeactivatedUsersAccessTokenStopsWorking() {
        TestUsers.TestUser user = users.user("leaver");
        given().auth().oauth2(user.access()).get("/api/profile/").then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> User.update("active = false where id = ?1", user.id()));
        await().atMost(Duration.ofSeconds(5)).until(() -> postAs(user.access()) == 401);
        given().contentType(ContentType.JSON).body("{\"refresh\":\"" + user.refresh() + "\"}").post("/api/token/refresh/")
                .then().statusCode(401);
    }

    @Test
    void aDemotedStaffMemberCannotPurgeWithTheOldTokenNorAfterLoggingInAgain() {
        TestUsers.TestUser staff = users.staff("demoted");
        given().auth().oauth2(staff.access()).delete("/api/jobs/dead/?queue=default").then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> User.update("staff = false where id = ?1", staff.id()));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                given().auth().oauth2(staff.access()).delete("/api/jobs/dead/?queue=default").statusCode() == 401);
        given().contentType(ContentType.JSON).body("{\"refresh\":\"" + staff.refresh() + "\"}").post("/api/token/refresh/")
                .then().statusCode(401);
        String fresh = given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.41")
                .body("{\"email\":\"" + staff.email() + "\",\"password\":\"" + TestUsers.PASSWORD + "\"}").post("/api/token/")
                .then().statusCode(200).extract().path("access");
        given().auth().oauth2(fresh).delete("/api/jobs/dead/?queue=default").then().statusCode(403);
        given().auth().oauth2(fresh).get("/api/profile/").then().statusCode(200);
    }

    @Test
    void aLoggedOutBrowsersAccessTokenStopsWorking() {
        TestUsers.TestUser user = users.user("browser");
        Response login = given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.42").header("Origin", "http://localhost")
                .body("{\"email\":\"" + user.email() + "\",\"password\":\"" + TestUsers.PASSWORD + "\"}").post("/api/auth/jwt/token/");
        login.then().statusCode(200);
        String access = login.getCookie("access");
        String refresh = login.getCookie("refresh_token");
        given().cookie("access", access).get("/api/profile/").then().statusCode(200);

        given().cookie("access", access).cookie("refresh_token", refresh).header("Origin", "http://localhost")
                .post("/api/auth/jwt/token/logout/").then().statusCode(200);
        given().cookie("access", access).get("/api/profile/").then().statusCode(401);
        given().auth().oauth2(access).get("/api/profile/").then().statusCode(401);
        given().cookie("refresh_token", refresh).header("Origin", "http://localhost").post("/api/auth/jwt/token/refresh/")
                .then().statusCode(401);
    }

    @Test
    void aPasswordChangeEndsTheAccountsTokens() {
        TestUsers.TestUser user = users.user("rotator");
        QuarkusTransaction.requiringNew().run(() -> User.update("passwordHash = ?1 where id = ?2",
                dev.stepbystep.web.auth.AuthService.hash("a brand new passphrase"), user.id()));
        await().atMost(Duration.ofSeconds(5)).until(() -> postAs(user.access()) == 401);
    }
}
