package dev.stepbystep.web.accounts;

import dev.stepbystep.shared.accounts.ActivationTokens;
import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.JobState;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class AccountFlowTest {

    private static final String ORIGIN = "http://localhost";

    @Inject
    ActivationTokens tokens;

    @Inject
    JobQueue jobs;

    private final TestUsers users = new TestUsers();

    @AfterEach
    void cleanUp() {
        users.close();
    }

    private static String credentials(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }

    private User load(String email) {
        return QuarkusTransaction.requiringNew().call(() -> User.findByEmail(email).orElseThrow());
    }

    @Test
    void registerActivateCookieLoginRefreshLogoutThenRefreshIsRefused() {
        String email = users.uniqueEmail("flow");
        Response registered = given().contentType(ContentType.JSON).body(credentials(email, "s3cure-passw0rd"))
                .post("/api/register/");
        registered.then().statusCode(201).contentType(ContentType.JSON)
                .header("Location", containsString("/api/users/"))
                .body("email", equalTo(email)).body("id", notNullValue()).body("password", nullValue())
                .body("job_id", notNullValue());
        User user = load(email);
        assertThat(user.active).isFalse();
        assertThat(user.passwordHash).startsWith("bcrypt_sha256$$2").doesNotContain("s3cure-passw0rd");
        var job = jobs.status(registered.jsonPath().getString("job_id")).orElseThrow();
        assertThat(job.task()).isEqualTo("accounts.send_confirmation_email");
        assertThat(job.state()).isIn(JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED);

        // The link the job would email: the same token generator the worker uses.
        String uid = ActivationTokens.uidb64(user.id);
        String token = tokens.token(user);

        // The seed's hole: a wrong token must not log in, an unknown uid is a 400, not a 500.
        given().post("/api/activate/" + uid + "/" + token.substring(0, token.length() - 2) + "00/")
                .then().statusCode(400).contentType("application/problem+json").header("Set-Cookie", nullValue());
        given().post("/api/activate/" + ActivationTokens.uidb64(999_999_999) + "/" + token + "/")
                .then().statusCode(400).header("Set-Cookie", nullValue());
        given().post("/api/activate/!!!/" + token + "/").then().statusCode(400);
        assertThat(load(email).active).isFalse();

        // From the browser that signed up: its registration cookie proves the registrant.
        Response activated = given().cookie("registration", registered.getCookie("registration"))
                .post("/api/activate/" + uid + "/" + token + "/");
        activated.then().statusCode(200).body(equalTo("{}"));
        assertThat(activated.getCookie("access")).isNotBlank();
        assertThat(activated.getDetailedCookie("access").isHttpOnly()).isTrue();
        assertThat(load(email).active).isTrue();
        given().cookie("registration", registered.getCookie("registration"))
                .post("/api/activate/" + uid + "/" + token + "/").then().statusCode(400); // single use

        Response login = given().contentType(ContentType.JSON).header("Origin", ORIGIN).body(credentials(email, "s3cure-passw0rd"))
                .post("/api/auth/jwt/token/");
        login.then().statusCode(200).body(equalTo("{}"));
        String access = login.getCookie("access");
        String refresh = login.getCookie("refresh_token");
        assertThat(login.getDetailedCookie("refresh_token").isHttpOnly()).isTrue();
        assertThat(login.getDetailedCookie("refresh_token").getPath()).isEqualTo("/");
        assertThat(login.getDetailedCookie("refresh_token").getSameSite()).isEqualTo("Lax");

        given().cookie("access", access).get("/api/profile/").then().statusCode(200).body("email", equalTo(email));

        Response refreshed = given().cookie("refresh_token", refresh).header("Origin", ORIGIN).post("/api/auth/jwt/token/refresh/");
        refreshed.then().statusCode(200).body(equalTo("{}"));
        assertThat(refreshed.getCookie("access")).isNotBlank();

        Response logout = given().cookie("refresh_token", refresh).cookie("access", access).header("Origin", ORIGIN)
                .post("/api/auth/jwt/token/logout/");
        logout.then().statusCode(200);
        assertThat(logout.getDetailedCookie("access").getMaxAge()).isZero();
        assertThat(logout.getDetailedCookie("refresh_token").getMaxAge()).isZero();

        given().cookie("refresh_token", refresh).header("Origin", ORIGIN).post("/api/auth/jwt/token/refresh/")
                .then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"refresh\":\"" + refresh + "\"}").post("/api/token/refresh/").then().statusCode(401);
    }

    @Test
    void jsonTokensWorkAsBearerAndRefresh() {
        var u = users.user("bearer");
        given().auth().oauth2(u.access()).get("/api/profile/").then().statusCode(200).body("id", equalTo((int) u.id()));
        String access = given().contentType(ContentType.JSON).body("{\"refresh\":\"" + u.refresh() + "\"}")
                .post("/api/token/refresh/").then().statusCode(200).extract().path("access");
        given().auth().oauth2(access).get("/api/profile/").then().statusCode(200);
        given().auth().oauth2(u.refresh()).get("/api/profile/").then().statusCode(401); // a refresh token is not an access token
        given().auth().oauth2(access + "x").get("/api/profile/").then().statusCode(401);
        given().get("/api/profile/").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void wrongPasswordUnknownEmailAndInactiveAccountsCannotLogIn() {
        var u = users.user("wrong");
        given().contentType(ContentType.JSON).body(credentials(u.email(), "not the password")).post("/api/token/")
                .then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(credentials("nobody-" + u.email(), TestUsers.PASSWORD)).post("/api/token/")
                .then().statusCode(401);
        QuarkusTransaction.requiringNew().run(() -> User.update("active = false where id = ?1", u.id()));
        given().contentType(ContentType.JSON).body(credentials(u.email(), TestUsers.PASSWORD)).post("/api/token/")
                .then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"refresh\":\"" + u.refresh() + "\"}").post("/api/token/refresh/")
                .then().statusCode(401);
    }

    @Test
    void loginAttemptsAreLimitedPerAccountAndPerAddress() {
        var u = users.user("limited"); // one attempt: its login
        for (int i = 0; i < 9; i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", "192.0.2." + (10 + i))
                    .body(credentials(u.email(), "wrong-" + i)).post("/api/token/").then().statusCode(401);
        }
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "192.0.2.99").body(credentials(u.email(), TestUsers.PASSWORD))
                .post("/api/token/").then().statusCode(429).header("Retry-After", notNullValue())
                .contentType("application/problem+json");

        String address = "203.0.113." + (1 + (int) (Math.random() * 250));
        for (int i = 0; i < 30; i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", address)
                    .body(credentials("ghost" + i + "-" + u.email(), "whatever")).post("/api/token/").then().statusCode(401);
        }
        given().contentType(ContentType.JSON).header("X-Forwarded-For", address).body(credentials("another-" + u.email(), "whatever"))
                .post("/api/token/").then().statusCode(429);
    }

    @Test
    void anonymousCookieRefreshIsAQuick401() {
        given().post("/api/auth/jwt/token/refresh/").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void registrationRejectsBadInputWithFieldErrors() {
        given().contentType(ContentType.JSON).body(credentials("not-an-email", "long enough password")).post("/api/register/")
                .then().statusCode(400).contentType("application/problem+json").body("errors.email", notNullValue());
        given().contentType(ContentType.JSON).body(credentials(users.uniqueEmail("short"), "short")).post("/api/register/")
                .then().statusCode(400).body("errors.password", notNullValue());
        String email = users.uniqueEmail("same");
        given().contentType(ContentType.JSON).body(credentials(email, email)).post("/api/register/").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"email\":\"a@b.co\",\"password\":\"12345678\",\"is_staff\":true}")
                .post("/api/register/").then().statusCode(400).body("detail", containsString("is_staff"));
        given().contentType(ContentType.JSON).body(credentials(users.uniqueEmail("nul"), "long enough\\u0000password"))
                .post("/api/register/").then().statusCode(400).body("errors.password", hasItem("null characters are not allowed"));
    }

    @Test
    void nullCharactersInCredentialsAndNamesAreA400NotA500() {
        var u = users.user("nulnames");
        // PostgreSQL cannot compare text holding U+0000: these reached the database and failed with a 500.
        given().contentType(ContentType.JSON).body(credentials("a\\u0000" + u.email(), "long enough password")).post("/api/token/")
                .then().statusCode(400).contentType("application/problem+json").body("errors.email", notNullValue());
        given().contentType(ContentType.JSON).body(credentials("\\u0000", "x")).post("/api/auth/jwt/token/")
                .then().statusCode(400).contentType("application/problem+json").body("errors.email", notNullValue());
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"first_name\":\"\\u0000\"}").patch("/api/update-user/")
                .then().statusCode(400).contentType("application/problem+json").body("errors.first_name", notNullValue());
        given().auth().oauth2(u.access()).get("/api/profile/").then().statusCode(200).body("first_name", equalTo(""));
    }

    @Test
    void aDuplicateEmailIsRefusedWhateverItsCase() {
        var u = users.user("dup");
        given().contentType(ContentType.JSON).body(credentials(u.email().toUpperCase(), "another password")).post("/api/register/")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("cannot register"));
    }

    @Test
    void updateUserFillsTheProfile() {
        var u = users.user("names");
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"first_name\":\"Ada\"}").patch("/api/update-user/")
                .then().statusCode(200).body("first_name", equalTo("Ada")).body("profile_setup_complete", equalTo(false));
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"last_name\":\"Lovelace\"}").patch("/api/update-user/")
                .then().statusCode(200).body("profile_setup_complete", equalTo(true));
        given().contentType(ContentType.JSON).body("{\"first_name\":\"X\"}").patch("/api/update-user/").then().statusCode(401);
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"first_name\":\"" + "x".repeat(151) + "\"}")
                .patch("/api/update-user/").then().statusCode(400).body("errors.first_name", notNullValue());
    }

    @Test
    void usersNeverShowOtherUsersEmailsExceptToStaff() {
        var alice = users.user("alice");
        var bob = users.user("bob");
        var staff = users.staff("staff");
        given().get("/api/users/" + alice.id() + "/").then().statusCode(200).body("email", nullValue()).body("id", equalTo((int) alice.id()));
        given().auth().oauth2(bob.access()).get("/api/users/" + alice.id() + "/").then().statusCode(200).body("email", nullValue());
        given().auth().oauth2(alice.access()).get("/api/users/" + alice.id() + "/").then().statusCode(200).body("email", equalTo(alice.email()));
        given().auth().oauth2(staff.access()).get("/api/users/" + alice.id() + "/").then().statusCode(200).body("email", equalTo(alice.email()));
        given().get("/api/users/?limit=100").then().statusCode(200).body("results.email.findAll { it != null }", org.hamcrest.Matchers.empty());
        given().get("/api/users/abc/").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/users/999999999/").then().statusCode(404);
    }
}
