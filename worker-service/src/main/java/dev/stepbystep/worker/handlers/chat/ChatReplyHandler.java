package dev.stepbystep.worker.handlers.chat;

import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.shared.chat.ChatMessage;
import dev.stepbystep.shared.chat.ChatSession;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.ChatReply;
import dev.stepbystep.worker.runtime.JobContext;
import dev.stepbystep.worker.runtime.JobHandler;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.Map;

/**
 * {@code chat.reply}: asks the model provider for the assistant's answer to a user message (the
 * session's history up to it, in order) and stores it. Provider failures that may pass (429,
 * 5xx, timeouts) fail the attempt, so the queue retries with backoff; on the last attempt, or
 * when a retry cannot help, the reply stored says that it failed: the user's message is kept and
 * the session is free again. Idempotent per job: the session names the job writing its pending
 * reply, and only that job, once, may store it.
 */
@ApplicationScoped
public class ChatReplyHandler implements JobHandler<ChatReply> {

    /** The seed's answer when no provider is configured. */
    static final String MOCKED = "This is a mocked response for user query (%s)";

    /** What the session shows when no reply could be had. */
    public static final String FAILED = "Sorry, the assistant could not reply to this message. Please try again.";

    @Inject
    ChatCompletions llm;

    /** The seed's reply when no provider is configured ({@code LLM_BASE_URL} empty). */
    public static String mocked(String userContent) {
        return MOCKED.formatted(userContent);
    }

    @Override
    public TaskDefinition<ChatReply> task() {
        return Tasks.CHAT_REPLY;
    }

    @Override
    public Object handle(ChatReply payload, JobContext context) throws Exception {
        List<ChatCompletions.Turn> history = QuarkusTransaction.requiringNew().call(() -> {
            ChatSession session = ChatSession.findById(payload.sessionId());
            if (session == null || !context.jobId().equals(session.pendingJobId)) {
                return null;
            }
            return ChatMessage.history(payload.sessionId()).stream()
                    .filter(m -> m.id <= payload.messageId())
                    .map(m -> new ChatCompletions.Turn(m.role, m.content)).toList();
        });
        if (history == null || history.isEmpty()) {
            // Deleted since, or this job's reply is already stored (a redelivery): nothing to do.
            return Map.of("stored", false);
        }
        String reply;
        boolean failed = false;
        if (!llm.configured()) {
            reply = mocked(history.getLast().content());
        } else {
            try {
                reply = llm.complete(history);
            } catch (ChatCompletions.ProviderException e) {
                if (e.retryable() && !context.lastAttempt()) {
                    throw e;
                }
                Log.errorf("chat reply job=%s session=%d failed for good: %s", context.jobId(), payload.sessionId(), e.getMessage());
                reply = FAILED;
                failed = true;
            }
        }
        String content = reply.length() > ChatMessage.MAX_STORED_CONTENT ? reply.substring(0, ChatMessage.MAX_STORED_CONTENT) : reply;
        Long messageId = QuarkusTransaction.requiringNew().call(() -> {
            // Locked: of two deliveries of this job racing here, the second finds the reply stored.
            ChatSession session = ChatSession.findById(payload.sessionId(), LockModeType.PESSIMISTIC_WRITE);
            if (session == null || !context.jobId().equals(session.pendingJobId)) {
                return null;
            }
            ChatMessage message = ChatMessage.of(session.id, ChatMessage.ASSISTANT, content);
            message.persist();
            session.pendingJobId = null;
            session.pendingSince = null;
            return message.id;
        });
        Log.infof("chat reply job=%s session=%d stored=%s failed=%s", context.jobId(), payload.sessionId(), messageId != null, failed);
        return messageId == null ? Map.of("stored", false) : Map.of("stored", true, "message_id", messageId, "failed", failed);
    }
}
