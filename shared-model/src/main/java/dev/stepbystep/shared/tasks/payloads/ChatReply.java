package dev.stepbystep.shared.tasks.payloads;

import jakarta.validation.constraints.Positive;

/**
 * {@code chat.reply}: answer the user message {@code messageId} of chat session
 * {@code sessionId}, with the session's history up to it, and store the assistant's reply.
 */
public record ChatReply(@Positive long sessionId, @Positive long messageId) {
}
