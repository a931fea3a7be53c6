package dev.stepbystep.web.chat;

import dev.stepbystep.web.validation.NoNullCharacters;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/** The chat endpoints' bodies, in the seed's shapes (snake_case on the wire). */
public final class ChatJson {

    private ChatJson() {
    }

    /** {@code POST /api/chat/sessions/}: an optional system prompt, stored as the first message. */
    public record NewSession(@Size(max = dev.stepbystep.shared.chat.ChatMessage.MAX_USER_CONTENT) @NoNullCharacters String systemPrompt) {
    }

    public record SessionCreated(String message, long sessionId) {
    }

    public record Session(long sessionId, Instant createdAt) {
    }

    public record Sessions(List<Session> sessions) {
    }

    public record Message(String role, String content, Instant timestamp) {
    }

    public record Messages(long sessionId, List<Message> messages) {
    }

    /** {@code POST .../messages/send/}: the user's message. */
    public record Send(@NotNull @NotBlank @Size(max = dev.stepbystep.shared.chat.ChatMessage.MAX_USER_CONTENT) @NoNullCharacters String content) {
    }

    /** 201: the assistant's reply, as the seed answers it. */
    public record Replied(String message, long messageId, String content, Instant timestamp) {
    }

    /** 202: the reply is still being written; it appears in the session when job {@code jobId} ends. */
    public record Pending(String message, long sessionId, String jobId) {
    }
}
