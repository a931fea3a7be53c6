package dev.stepbystep.web.security;

import dev.stepbystep.shared.accounts.ActivationTokens;
import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.RespClient;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Paths to someone else's account, or back into a closed one: login limits that a different
 * spelling of the address or a forged X-Forwarded-For escaped, an activation link replayed after
 * staff deactivated the account, and the resend endpoint that must not tell who has an account.
 */
@QuarkusTest
class AccountTakeoverTest {

    @Inject
    ActivationTokens tokens;

    @Inject
    QueueConfig queue;

    private final TestUsers users = new TestUsers();

    @AfterEach
    void cleanUp() {
        users.close();
    }

    /** The JSON body, every character outside printable ASCII escaped, so no transport charset can change it. */
    static String credentials(String email, String password) {
        StringBuilder e = new StringBuilder();
        email.chars().forEach(c -> e.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return "{\"email\":\"" + e + "\",\"password\":\"" + password + "\"}";
    }

    @Test
    void everySpellingOfAnAddressCountsAgainstOneAccountLimit() {
        TestUsers.TestUser victim = users.user("victim"); // one attempt: its login
        String email = victim.email();
        List<String> spellings = List.of(" " + email, "\t" + email.toUpperCase(), "\u3000" + email, email + "\u00a0",
                "\uFF56" + email.substring(1), email.toUpperCase() + " ", "\u2003" + email, email, " " + email);
        for (int i = 0; i < spellings.size(); i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", "192.0.2." + (100 + i))
                    .body(credentials(spellings.get(i), "wrong-" + i)).post("/api/token/").then().statusCode(401);
        }
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "192.0.2.99").body(credentials(email, TestUsers.PASSWORD))
                .post("/api/token/").then().statusCode(429).header("Retry-After", notNullValue());
    }

    @Test
    void aForgedLeftmostForwardedForEntryDoesNotEscapeTheAddressLimit() {
        // Loopback is a trusted proxy in tests (as the ALB is in AWS): it appended the real client.
        String client = "203.0.113." + (1 + (int) (Math.random() * 250));
        for (int i = 0; i < 30; i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", "10.1.2." + i + ", " + client)
                    .body(credentials("ghost" + i + "@example.com", "whatever")).post("/api/token/").then().statusCode(401);
        }
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "10.1.99.99, " + client)
                .body(credentials("another@example.com", "whatever")).post("/api/token/").then().statusCode(429);
    }

    @Test
    void anActivationLinkReplayedAfterDeactivationDoesNotReactivate() {
        String email = users.uniqueEmail("closed");
        given().contentType(ContentType.JSON).body(credentials(email, "a long password")).post("/api/register/").then().statusCode(201);
        User user = QuarkusTransaction.requiringNew().call(() -> User.findByEmail(email)).orElseThrow();
        String link = "/api/activate/" + ActivationTokens.uidb64(user.id) + "/" + tokens.token(user) + "/";
        given().contentType(ContentType.JSON).body(password("a long password")).post(link).then().statusCode(200);

        QuarkusTransaction.requiringNew().run(() -> User.update("active = false where id = ?1", user.id)); // staff deactivate
        given().contentType(ContentType.JSON).body(password("a long password")).post(link).then().statusCode(400)
                .contentType("application/problem+json");
        assertThat(QuarkusTransaction.requiringNew().call(() -> User.<User>findById(user.id).active)).isFalse();
        // Nor does a link made for the deactivated state.
        User deactivated = QuarkusTransaction.requiringNew().call(() -> User.<User>findById(user.id));
        given().post("/api/activate/" + ActivationTokens.uidb64(user.id) + "/" + tokens.token(deactivated) + "/").then().statusCode(400);
    }

    /** The activation link the confirmation email would carry now (the token generator the worker uses). */
    private String link(String email) {
        User user = QuarkusTransaction.requiringNew().call(() -> User.findByEmail(email)).orElseThrow();
        return "/api/activate/" + ActivationTokens.uidb64(user.id) + "/" + tokens.token(user) + "/";
    }

    private static String password(String password) {
        return "{\"password\":\"" + password + "\"}";
    }

    @Test
    void aPasswordChosenBySomeoneElseDoesNotLogIntoTheAccountTheMailboxOwnerActivates() {
        String victim = users.uniqueEmail("prehijack");
        // The attacker signs up with the victim's address and a password of their choosing.
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "203.0.113.66").body(credentials(victim, "attacker's password"))
                .post("/api/register/").then().statusCode(201);
        String attackersLink = link(victim);

        // The victim opens the emailed link in their own browser: it holds no proof of having
        // chosen the password, so nothing is activated and nothing is logged in.
        given().post(attackersLink).then().statusCode(400).contentType("application/problem+json").header("Set-Cookie", nullValue())
                .body("detail", org.hamcrest.Matchers.containsString("sign up again"));
        given().contentType(ContentType.JSON).body(password("a guess at it")).post(attackersLink).then().statusCode(400);
        assertThat(QuarkusTransaction.requiringNew().call(() -> User.findByEmail(victim)).orElseThrow().active).isFalse();
        given().contentType(ContentType.JSON).body(credentials(victim, "attacker's password")).post("/api/token/").then().statusCode(401);

        // The victim takes the address back by signing up with their own password: the pending
        // registration is replaced and the attacker's link and password are dead.
        Response again = given().contentType(ContentType.JSON).body(credentials(victim, "victim's own password")).post("/api/register/");
        again.then().statusCode(201).body("email", equalTo(victim));
        given().contentType(ContentType.JSON).body(password("attacker's password")).post(attackersLink).then().statusCode(400);
        String victimsLink = link(victim);
        given().contentType(ContentType.JSON).body(password("attacker's password")).post(victimsLink).then().statusCode(400);
        given().cookie("registration", again.getCookie("registration")).post(victimsLink).then().statusCode(200)
                .cookie("access", notNullValue());

        given().contentType(ContentType.JSON).body(credentials(victim, "attacker's password")).post("/api/token/").then().statusCode(401);
        given().contentType(ContentType.JSON).body(credentials(victim, "victim's own password")).post("/api/token/").then().statusCode(200);
        // An active account is not replaced by signing up again.
        given().contentType(ContentType.JSON).body(credentials(victim, "attacker's password")).post("/api/register/").then().statusCode(400);
    }

    @Test
    void signingUpOneAddressAgainAndAgainIsLimitedWhateverTheClientAddress() {
        // Each sign-up of a pending address replaces it and mails its owner: limited per address
        // signed up (10 an hour), not only per client, or rotating clients make a mail cannon.
        String target = users.uniqueEmail("flooded");
        for (int i = 0; i < 10; i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", "203.0.113." + (120 + i))
                    .body(credentials(i % 2 == 0 ? target : target.toUpperCase(), "a long password " + i)).post("/api/register/")
                    .then().statusCode(201);
        }
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "203.0.113.200")
                .body(credentials(target.toUpperCase(), "a long password x")).post("/api/register/")
                .then().statusCode(429).contentType("application/problem+json").header("Retry-After", notNullValue());
    }

    @Test
    void theRegistrantActivatesFromTheBrowserThatSignedUpOrWithThePassword() {
        String sameBrowser = users.uniqueEmail("cookie");
        Response registered = given().contentType(ContentType.JSON).body(credentials(sameBrowser, "a long password")).post("/api/register/");
        registered.then().statusCode(201);
        var proof = registered.getDetailedCookie("registration");
        assertThat(proof.isHttpOnly()).isTrue();
        assertThat(proof.getPath()).isEqualTo("/api/activate/");
        given().cookie("registration", proof.getValue()).post(link(sameBrowser)).then().statusCode(200);

        String otherDevice = users.uniqueEmail("device");
        Response other = given().contentType(ContentType.JSON).body(credentials(otherDevice, "a long password")).post("/api/register/");
        // Another account's proof is no proof; the password is.
        given().cookie("registration", proof.getValue()).post(link(otherDevice)).then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"password\":").post(link(otherDevice)).then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(password("a long password")).post(link(otherDevice)).then().statusCode(200);
        assertThat(other.getCookie("registration")).isNotEqualTo(proof.getValue());
    }

    @Test
    void resendingAConfirmationAnswersTheSameForAnyAddressAndQueuesAnEmailOnlyForAnInactiveAccount() {
        String pending = users.uniqueEmail("pending");
        given().contentType(ContentType.JSON).body(credentials(pending, "a long password")).post("/api/register/").then().statusCode(201);
        long userId = QuarkusTransaction.requiringNew().call(() -> User.findByEmail(pending)).orElseThrow().id;
        long before = confirmationJobs(userId);

        String known = given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.201")
                .body("{\"email\":\"" + pending + "\"}").post("/api/resend-confirmation/").then().statusCode(202).extract().asString();
        String unknown = given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.202")
                .body("{\"email\":\"nobody-" + pending + "\"}").post("/api/resend-confirmation/").then().statusCode(202).extract().asString();
        assertThat(unknown).isEqualTo(known);
        await().atMost(Duration.ofSeconds(10)).until(() -> confirmationJobs(userId) == before + 1);

        TestUsers.TestUser active = users.user("active");
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.203")
                .body("{\"email\":\"" + active.email() + "\"}").post("/api/resend-confirmation/").then().statusCode(202)
                .body(equalTo(known));
    }

    @Test
    void resendsAreLimitedPerAddressAskedAbout() {
        String email = users.uniqueEmail("flood");
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100." + (10 + i))
                    .body("{\"email\":\"" + email + "\"}").post("/api/resend-confirmation/").then().statusCode(202);
        }
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.20")
                .body("{\"email\":\"" + email.toUpperCase() + "\"}").post("/api/resend-confirmation/").then().statusCode(429)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"email\":\"not an address\"}").post("/api/resend-confirmation/")
                .then().statusCode(400).contentType("application/problem+json");
    }

    /** Confirmation jobs of a user in Redis (the outbox relay pushes them within seconds). */
    @SuppressWarnings("unchecked")
    private long confirmationJobs(long userId) {
        try (RespClient redis = RespClient.connect(BackingServices.locate())) {
            long n = 0;
            String cursor = "0";
            do {
                List<Object> page = (List<Object>) redis.call("SCAN", cursor, "MATCH", queue.prefix() + ":job:*", "COUNT", "1000");
                cursor = (String) page.get(0);
                for (Object key : (List<Object>) page.get(1)) {
                    List<Object> f = (List<Object>) redis.call("HMGET", (String) key, "task", "owner");
                    if ("accounts.send_confirmation_email".equals(f.get(0)) && Long.toString(userId).equals(f.get(1))) {
                        n++;
                    }
                }
            } while (!"0".equals(cursor));
            return n;
        }
    }
}
