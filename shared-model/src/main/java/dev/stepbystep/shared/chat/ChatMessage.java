package dev.stepbystep.shared.chat;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** One message of a {@link ChatSession}: the user's, or the assistant's reply. */
@Entity
@Table(name = "chat_message")
public class ChatMessage extends PanacheEntityBase {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    /** Longest message a user may send (characters). */
    public static final int MAX_USER_CONTENT = 10_000;

    /** Longest reply stored; a longer one from the provider is cut (the column allows 100,000). */
    public static final int MAX_STORED_CONTENT = 100_000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "session_id", nullable = false)
    public Long sessionId;

    @Column(nullable = false, length = 16)
    public String role;

    @Column(nullable = false, columnDefinition = "text")
    public String content;

    @Column(nullable = false)
    public Instant timestamp = Instant.now();

    public static ChatMessage of(long sessionId, String role, String content) {
        ChatMessage m = new ChatMessage();
        m.sessionId = sessionId;
        m.role = role;
        m.content = content;
        return m;
    }

    /** The session's messages, oldest first. */
    public static List<ChatMessage> history(long sessionId) {
        return find("sessionId = ?1 order by id", sessionId).list();
    }
}
