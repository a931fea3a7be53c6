package dev.stepbystep.web.chat;

import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.containsString;

/**
 * The chat API as the seed's Nuxt app calls it, with no worker running: sessions and messages,
 * validation, ownership, and a send whose reply does not come within WEB_CHAT_WAIT (202 and the
 * job, then 409 for a second send). The reply path with a live worker is ChatFlowIT (worker-service).
 */
@QuarkusTest
class ChatApiTest {

    private final TestUsers users = new TestUsers();

    @Inject
    JobQueue jobs;

    @AfterEach
    void cleanUp() {
        users.close(); // sessions and messages go with their user (ON DELETE CASCADE)
    }

    private static long newSession(TestUsers.TestUser user, String body) {
        var request = given().auth().oauth2(user.access());
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post("/api/chat/sessions/").then().statusCode(201)
                .body("message", notNullValue()).extract().jsonPath().getLong("session_id");
    }

    @Test
    void sessionsAreListedNewestFirstAndStartWithTheSystemPrompt() {
        var user = users.user("chatter");
        long first = newSession(user, "{\"system_prompt\":\"You are terse.\"}");
        long second = newSession(user, "{}");
        long third = newSession(user, null);
        given().auth().oauth2(user.access()).get("/api/chat/get-sessions/").then().statusCode(200)
                .body("sessions.session_id", equalTo(List.of((int) third, (int) second, (int) first)))
                .body("sessions[0].created_at", notNullValue());
        given().auth().oauth2(user.access()).get("/api/chat/sessions/" + first + "/messages/").then().statusCode(200)
                .body("session_id", equalTo((int) first))
                .body("messages", hasSize(1))
                .body("messages[0].role", equalTo("assistant")).body("messages[0].content", equalTo("You are terse."))
                .body("messages[0].timestamp", notNullValue());
        given().auth().oauth2(user.access()).get("/api/chat/sessions/" + second + "/messages/").then().statusCode(200)
                .body("messages[0].content", equalTo("Default system prompt."));
    }

    @Test
    void loginIsRequiredAndOnlyTheOwnerSeesASession() {
        var owner = users.user("owner");
        var other = users.user("other");
        long session = newSession(owner, "{}");
        given().get("/api/chat/get-sessions/").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/api/chat/sessions/").then().statusCode(401);
        given().get("/api/chat/sessions/" + session + "/messages/").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"content\":\"hi\"}").post("/api/chat/sessions/" + session + "/messages/send/")
                .then().statusCode(401);

        given().auth().oauth2(other.access()).get("/api/chat/sessions/" + session + "/messages/").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(other.access()).contentType(ContentType.JSON).body("{\"content\":\"hi\"}")
                .post("/api/chat/sessions/" + session + "/messages/send/").then().statusCode(404);
        given().auth().oauth2(other.access()).get("/api/chat/get-sessions/").then().statusCode(200).body("sessions", hasSize(0));
        for (String id : new String[] {"abc", "0", "-1", "99999999999999999999", Long.toString(session + 1_000_000)}) {
            given().auth().oauth2(owner.access()).get("/api/chat/sessions/" + id + "/messages/").then().statusCode(404);
        }
        given().auth().oauth2(owner.access()).get("/api/chat/sessions/" + session + "/messages/").then().statusCode(200)
                .body("messages", hasSize(1));
    }

    @Test
    void badBodiesAre400AndStoreNothing() {
        var user = users.user("validator");
        long session = newSession(user, "{}");
        String send = "/api/chat/sessions/" + session + "/messages/send/";
        for (String body : new String[] {"{}", "{\"content\":\"\"}", "{\"content\":\"   \"}", "{\"content\":null}",
                "{\"content\":\"a\\u0000b\"}", "{\"content\":\"" + "x".repeat(10_001) + "\"}", "{\"content\":\"hi\",\"extra\":1}",
                "{\"content\":", "[]"}) {
            given().auth().oauth2(user.access()).contentType(ContentType.JSON).body(body).post(send)
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(user.access()).post(send).then().statusCode(415).contentType("application/problem+json");
        given().auth().oauth2(user.access()).contentType(ContentType.TEXT).body("hi").post("/api/chat/sessions/").then().statusCode(415);
        given().auth().oauth2(user.access()).contentType(ContentType.JSON).body("{\"system_prompt\":\"" + "x".repeat(10_001) + "\"}")
                .post("/api/chat/sessions/").then().statusCode(400);
        given().auth().oauth2(user.access()).get("/api/chat/sessions/" + session + "/messages/").then().statusCode(200)
                .body("messages", hasSize(1));
        given().auth().oauth2(user.access()).get("/api/chat/get-sessions/").then().body("sessions", hasSize(1));
    }

    /** No worker consumes here: the send answers 202 with the job after WEB_CHAT_WAIT, and the message is kept. */
    @Test
    void aReplyNotReadyInTimeIs202WithTheJobAndASecondSendWaitsFor409() {
        var user = users.user("patient");
        long session = newSession(user, "{}");
        String send = "/api/chat/sessions/" + session + "/messages/send/";
        var accepted = given().auth().oauth2(user.access()).contentType(ContentType.JSON).body("{\"content\":\"Hello there\"}")
                .post(send).then().statusCode(202)
                .header("Location", containsString("/api/jobs/"))
                .body("session_id", equalTo((int) session)).extract().jsonPath();
        String jobId = accepted.getString("job_id");
        given().auth().oauth2(user.access()).get("/api/jobs/" + jobId + "/").then().statusCode(200)
                .body("task", equalTo("chat.reply")).body("state", equalTo("queued"));
        given().auth().oauth2(user.access()).get("/api/chat/sessions/" + session + "/messages/").then().statusCode(200)
                .body("messages", hasSize(2))
                .body("messages[1].role", equalTo("user")).body("messages[1].content", equalTo("Hello there"));
        given().auth().oauth2(user.access()).contentType(ContentType.JSON).body("{\"content\":\"Anyone?\"}")
                .post(send).then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(user.access()).get("/api/chat/sessions/" + session + "/messages/").then().body("messages", hasSize(2));
        assertThat(jobs.status(jobId)).isPresent();
    }

    /** Two sends racing on one session: one is taken, the other is 409; never two pending replies. */
    @Test
    void twoSendsRacingOnOneSessionTakeOne() throws Exception {
        var user = users.user("racer");
        long session = newSession(user, "{}");
        String send = "/api/chat/sessions/" + session + "/messages/send/";
        Callable<Integer> sendOne = () -> given().auth().oauth2(user.access()).contentType(ContentType.JSON)
                .body("{\"content\":\"race\"}").post(send).then().extract().statusCode();
        try (var pool = Executors.newFixedThreadPool(4)) {
            var answers = pool.invokeAll(List.of(sendOne, sendOne, sendOne, sendOne));
            List<Integer> codes = new java.util.ArrayList<>();
            for (var answer : answers) {
                codes.add(answer.get());
            }
            assertThat(codes).containsOnly(202, 409);
            assertThat(codes).filteredOn(c -> c == 202).hasSize(1);
        }
        given().auth().oauth2(user.access()).get("/api/chat/sessions/" + session + "/messages/").then().body("messages", hasSize(2));
    }
}
