package dev.stepbystep.worker.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.worker.FakeLlmResource;
import dev.stepbystep.worker.FakeLlmResource.Answer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chat as the seed's Nuxt app uses it, across processes: the packaged web-service answers the
 * HTTP calls and this test's worker (in-process, live) writes the replies with the fake model
 * provider. A reply within WEB_CHAT_WAIT (PackagedWeb.CHAT_WAIT) is the seed's 201; a provider still busy when the wait
 * ends gives 202 and the job, and the reply appears in the session once the provider answers.
 */
@QuarkusTest
class ChatFlowTest {

    private final ObjectMapper json = new ObjectMapper();
    private final String email = "chatflow-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    private String access;

    @BeforeEach
    void logIn() throws Exception {
        FakeLlmResource.reset();
        access = PackagedWeb.logIn(email);
    }

    @AfterEach
    void cleanUp() {
        FakeLlmResource.reset();
        QuarkusTransaction.requiringNew().run(() -> User.delete("email", email));
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(PackagedWeb.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (access != null) {
            request.header("Authorization", "Bearer " + access);
        }
        return PackagedWeb.send(request);
    }

    private JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    private long newSession() throws Exception {
        return ok(call("POST", "/api/chat/sessions/", "{\"system_prompt\":\"You are a helpful assistant.\"}"), 201).path("session_id").asLong();
    }

    @Test
    void aReplyWithinTheWaitIsTheSeeds201() throws Exception {
        FakeLlmResource.script(Answer.completion("Hi! How can I help?"));
        long session = newSession();

        JsonNode sent = ok(call("POST", "/api/chat/sessions/" + session + "/messages/send/", "{\"content\":\"Hello\"}"), 201);
        assertThat(sent.path("content").asText()).isEqualTo("Hi! How can I help?");
        assertThat(sent.path("message").asText()).isNotBlank();
        assertThat(sent.path("message_id").asLong()).isPositive();
        assertThat(sent.path("timestamp").asText()).isNotBlank();

        JsonNode messages = ok(call("GET", "/api/chat/sessions/" + session + "/messages/", null), 200).path("messages");
        assertThat(messages).extracting(m -> m.path("role").asText() + ": " + m.path("content").asText())
                .containsExactly("assistant: You are a helpful assistant.", "user: Hello", "assistant: Hi! How can I help?");
        // The provider saw the history in order, the prompt first.
        assertThat(FakeLlmResource.received()).singleElement().satisfies(r ->
                assertThat(json.readTree(r.body()).path("messages")).extracting(m -> m.path("content").asText())
                        .containsExactly("You are a helpful assistant.", "Hello"));
        // The session is free for the next message.
        FakeLlmResource.script(Answer.completion("Second answer."));
        assertThat(ok(call("POST", "/api/chat/sessions/" + session + "/messages/send/", "{\"content\":\"Again\"}"), 201)
                .path("content").asText()).isEqualTo("Second answer.");
    }

    @Test
    void aReplyNotReadyWithinTheWaitIs202AndAppearsWhenTheProviderAnswers() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        FakeLlmResource.script(Answer.completion("Worth the wait.").heldUntil(release));
        long session = newSession();

        HttpResponse<String> response = call("POST", "/api/chat/sessions/" + session + "/messages/send/", "{\"content\":\"Slow one\"}");
        JsonNode pending = ok(response, 202);
        String jobId = pending.path("job_id").asText();
        assertThat(pending.path("session_id").asLong()).isEqualTo(session);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/jobs/" + jobId + "/"));
        assertThat(ok(call("GET", "/api/jobs/" + jobId + "/", null), 200).path("state").asText()).isEqualTo("running");
        assertThat(call("POST", "/api/chat/sessions/" + session + "/messages/send/", "{\"content\":\"Hello?\"}").statusCode()).isEqualTo(409);

        release.complete(null);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                ok(call("GET", "/api/chat/sessions/" + session + "/messages/", null), 200).path("messages").size() == 3);
        JsonNode messages = ok(call("GET", "/api/chat/sessions/" + session + "/messages/", null), 200).path("messages");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(2).path("content").asText()).isEqualTo("Worth the wait.");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ok(call("GET", "/api/jobs/" + jobId + "/", null), 200).path("state").asText().equals("succeeded"));
    }
}
