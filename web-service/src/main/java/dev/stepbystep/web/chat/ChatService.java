package dev.stepbystep.web.chat;

import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.shared.chat.ChatMessage;
import dev.stepbystep.shared.chat.ChatSession;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.ChatReply;
import dev.stepbystep.web.errors.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Chat sessions and messages of one user. Sending stores the user's message and enqueues the
 * {@code chat.reply} job in one transaction (the outbox: the worker never sees a job whose
 * message did not commit), and marks the session as waiting for that job's reply.
 */
@ApplicationScoped
public class ChatService {

    /** The seed's first message of a session created without a prompt. */
    static final String DEFAULT_SYSTEM_PROMPT = "Default system prompt.";

    /**
     * A reply still pending after this is taken as lost (its job died for a reason the handler
     * could not record, e.g. the database was down for its last attempt): the session takes new
     * messages again. Longer than the task's attempts and backoffs together.
     */
    static final Duration PENDING_EXPIRY = Duration.ofMinutes(10);

    @Inject
    JobQueue jobs;

    /** What a send committed: the user's message and the job writing the reply. */
    public record Sent(long sessionId, long messageId, String jobId) {
    }

    /** The reply to a message: the assistant message stored after it. */
    public record Reply(long id, String content, Instant timestamp) {
    }

    @Transactional
    public List<ChatJson.Session> sessions(long userId) {
        return ChatSession.<ChatSession>find("userId = ?1 order by createdAt desc, id desc", userId).stream()
                .map(s -> new ChatJson.Session(s.id, s.createdAt)).toList();
    }

    @Transactional
    public long create(long userId, String systemPrompt) {
        ChatSession session = new ChatSession();
        session.userId = userId;
        session.persist();
        String prompt = systemPrompt == null || systemPrompt.isBlank() ? DEFAULT_SYSTEM_PROMPT : systemPrompt;
        // As the seed does: the prompt is the session's first message, with the role assistant.
        ChatMessage.of(session.id, ChatMessage.ASSISTANT, prompt).persist();
        return session.id;
    }

    @Transactional
    public ChatJson.Messages messages(long userId, long sessionId) {
        owned(userId, sessionId, LockModeType.NONE);
        return new ChatJson.Messages(sessionId, ChatMessage.history(sessionId).stream()
                .map(m -> new ChatJson.Message(m.role, m.content, m.timestamp)).toList());
    }

    /**
     * Stores the user's message and enqueues its reply. The session row is locked, so of two
     * sends racing on one session the second waits, then finds the reply pending: 409.
     */
    @Transactional
    public Sent send(long userId, long sessionId, String content) {
        ChatSession session = owned(userId, sessionId, LockModeType.PESSIMISTIC_WRITE);
        if (session.pendingJobId != null && session.pendingSince.isAfter(Instant.now().minus(PENDING_EXPIRY))) {
            throw new ApiException(409, "Conflict", "the assistant is still replying to the last message in this session; "
                    + "wait for the reply (job " + session.pendingJobId + ") before sending another");
        }
        ChatMessage message = ChatMessage.of(sessionId, ChatMessage.USER, content);
        message.persist();
        String jobId = jobs.enqueue(Tasks.CHAT_REPLY, new ChatReply(sessionId, message.id), EnqueueOptions.defaults().owner(userId)).jobId();
        session.pendingJobId = jobId;
        session.pendingSince = Instant.now();
        return new Sent(sessionId, message.id, jobId);
    }

    /** The reply to {@code sent}, once stored. */
    @Transactional
    public Optional<Reply> reply(Sent sent) {
        return ChatMessage.<ChatMessage>find("sessionId = ?1 and id > ?2 and role = ?3 order by id", sent.sessionId(), sent.messageId(),
                        ChatMessage.ASSISTANT).firstResultOptional()
                .map(m -> new Reply(m.id, m.content, m.timestamp));
    }

    private static ChatSession owned(long userId, long sessionId, LockModeType lock) {
        ChatSession session = ChatSession.findById(sessionId, lock);
        if (session == null || !session.userId.equals(userId)) {
            // Another user's session is answered as a missing one: ids are not to be probed.
            throw ApiException.notFound("no chat session " + sessionId);
        }
        return session;
    }
}
