package dev.stepbystep.worker.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.JobState;
import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.shared.chat.ChatMessage;
import dev.stepbystep.shared.chat.ChatSession;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.ChatReply;
import dev.stepbystep.worker.FakeLlmResource;
import dev.stepbystep.worker.FakeLlmResource.Answer;
import dev.stepbystep.worker.handlers.chat.ChatReplyHandler;
import dev.stepbystep.worker.runtime.JobContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code chat.reply} run by this worker against a fake OpenAI-compatible server started by the
 * test (FakeLlmResource): what the request carries, retries of 429 and 5xx, the failure message
 * when the provider keeps failing or refuses, and one reply per job however often it is delivered.
 */
@QuarkusTest
class ChatReplyTest {

    @Inject
    JobQueue queue;

    @Inject
    ChatReplyHandler handler;

    @Inject
    ObjectMapper json;

    private final String email = "chat-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    private long userId;

    @BeforeEach
    void user() {
        FakeLlmResource.reset();
        userId = QuarkusTransaction.requiringNew().call(() -> {
            User u = new User();
            u.email = email;
            u.passwordHash = "$2a$10$" + UUID.randomUUID();
            u.active = true;
            u.persist();
            return u.id;
        });
    }

    @AfterEach
    void cleanUp() {
        FakeLlmResource.reset();
        QuarkusTransaction.requiringNew().run(() -> User.delete("email", email)); // sessions cascade
    }

    /** A session holding {@code history} (role, content pairs), the last a user message whose reply is enqueued as the web does. */
    private Sent send(EnqueueOptions options, String... history) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ChatSession session = new ChatSession();
            session.userId = userId;
            session.persist();
            ChatMessage last = null;
            for (int i = 0; i < history.length; i += 2) {
                last = ChatMessage.of(session.id, history[i], history[i + 1]);
                last.persist();
            }
            String jobId = queue.enqueue(Tasks.CHAT_REPLY, new ChatReply(session.id, last.id), options.owner(userId)).jobId();
            session.pendingJobId = jobId;
            session.pendingSince = java.time.Instant.now();
            return new Sent(session.id, last.id, jobId);
        });
    }

    private record Sent(long sessionId, long messageId, String jobId) {
    }

    private List<ChatMessage> awaitReply(Sent sent) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                QuarkusTransaction.requiringNew().call(() -> ChatSession.<ChatSession>findById(sent.sessionId()).pendingJobId == null));
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.status(sent.jobId()).orElseThrow().state() == JobState.SUCCEEDED);
        return QuarkusTransaction.requiringNew().call(() -> ChatMessage.history(sent.sessionId()));
    }

    @Test
    void theProviderGetsTheModelTheKeyAndTheHistoryInOrder() throws Exception {
        FakeLlmResource.script(Answer.completion("Paris, of course."));
        Sent sent = send(EnqueueOptions.defaults(), "assistant", "You are terse.", "user", "Where is the Louvre?",
                "assistant", "In Paris.", "user", "And the \"Orsay\"?\nThanks");

        List<ChatMessage> messages = awaitReply(sent);
        assertThat(messages).hasSize(5);
        assertThat(messages.getLast().role).isEqualTo("assistant");
        assertThat(messages.getLast().content).isEqualTo("Paris, of course.");

        assertThat(FakeLlmResource.received()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/v1/chat/completions");
            assertThat(r.authorization()).isEqualTo("Bearer " + FakeLlmResource.API_KEY);
            JsonNode body = json.readTree(r.body());
            assertThat(body.path("model").asText()).isEqualTo(FakeLlmResource.MODEL);
            List<String> turns = new ArrayList<>();
            body.path("messages").forEach(m -> turns.add(m.path("role").asText() + ": " + m.path("content").asText()));
            assertThat(turns).containsExactly("assistant: You are terse.", "user: Where is the Louvre?", "assistant: In Paris.",
                    "user: And the \"Orsay\"?\nThanks");
        });
    }

    @Test
    void aRateLimitedOrFailingProviderIsRetriedUntilItAnswers() {
        FakeLlmResource.script(Answer.status(429), Answer.status(503), Answer.completion("Third time lucky."));
        Sent sent = send(EnqueueOptions.defaults(), "user", "Hello?");

        assertThat(awaitReply(sent).getLast().content).isEqualTo("Third time lucky.");
        assertThat(FakeLlmResource.received()).hasSize(3);
        assertThat(queue.status(sent.jobId()).orElseThrow().attempts()).isEqualTo(3);
    }

    @Test
    void aProviderThatKeepsFailingLeavesAFailureMessageAndTheUsersMessage() {
        FakeLlmResource.script(Answer.status(500), Answer.status(500), Answer.status(500));
        Sent sent = send(EnqueueOptions.defaults().maxRetries(1), "user", "Are you there?");

        List<ChatMessage> messages = awaitReply(sent);
        assertThat(messages).extracting(m -> m.role + ": " + m.content)
                .containsExactly("user: Are you there?", "assistant: " + ChatReplyHandler.FAILED);
        assertThat(FakeLlmResource.received()).hasSize(2);
    }

    @Test
    void aRefusedRequestIsNotRetried() {
        FakeLlmResource.script(Answer.status(401));
        Sent sent = send(EnqueueOptions.defaults(), "user", "Hi");

        assertThat(awaitReply(sent).getLast().content).isEqualTo(ChatReplyHandler.FAILED);
        assertThat(FakeLlmResource.received()).hasSize(1);
    }

    @Test
    void aSlowProviderPastTheTimeoutIsAFailedAttempt() {
        // LLM_TIMEOUT is 6 s here: the first answer never comes, the retry's does.
        FakeLlmResource.script(Answer.completion("never").heldUntil(new java.util.concurrent.CompletableFuture<>()), Answer.completion("on time"));
        Sent sent = send(EnqueueOptions.defaults(), "user", "Quick?");

        assertThat(awaitReply(sent).getLast().content).isEqualTo("on time");
    }

    /** At-least-once delivery: a second delivery of the job (or one after the reply) stores nothing more. */
    @Test
    void aJobDeliveredTwiceStoresOneReply() throws Exception {
        String jobId = UUID.randomUUID().toString();
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            ChatSession session = new ChatSession();
            session.userId = userId;
            session.pendingJobId = jobId;
            session.pendingSince = java.time.Instant.now();
            session.persist();
            ChatMessage m = ChatMessage.of(session.id, "user", "once");
            m.persist();
            return new long[] {session.id, m.id};
        });
        ChatReply payload = new ChatReply(ids[0], ids[1]);
        handler.handle(payload, new JobContext(jobId, "default", 1, 4));
        handler.handle(payload, new JobContext(jobId, "default", 2, 4));
        assertThat(QuarkusTransaction.requiringNew().call(() -> ChatMessage.history(ids[0])))
                .extracting(m -> m.role).containsExactly("user", "assistant");
        assertThat(FakeLlmResource.received()).hasSize(1);
    }

    @Test
    void withNoProviderTheReplyIsTheSeedsMockedText() {
        assertThat(ChatReplyHandler.mocked("What is 12-factor?"))
                .isEqualTo("This is a mocked response for user query (What is 12-factor?)");
    }
}
