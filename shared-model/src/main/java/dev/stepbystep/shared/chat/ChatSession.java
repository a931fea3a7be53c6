package dev.stepbystep.shared.chat;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A user's chat session; its messages are {@link ChatMessage}s. */
@Entity
@Table(name = "chat_session")
public class ChatSession extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    /** The {@code chat.reply} job still writing the reply to the last user message, or null. */
    @Column(name = "pending_job_id", length = 64)
    public String pendingJobId;

    @Column(name = "pending_since")
    public Instant pendingSince;
}
