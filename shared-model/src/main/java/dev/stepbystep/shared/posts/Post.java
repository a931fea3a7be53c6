package dev.stepbystep.shared.posts;

import dev.stepbystep.shared.accounts.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "post")
public class Post extends PanacheEntityBase {

    public static final int MAX_BODY_LENGTH = 200;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = MAX_BODY_LENGTH)
    public String body;

    /** Null once the author's account is deleted (ON DELETE SET NULL). */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "created_by_id")
    public User createdBy;

    @Column(name = "created_on", nullable = false)
    public Instant createdOn = Instant.now();

    @Column(name = "modified_on", nullable = false)
    public Instant modifiedOn = createdOn;

    /** Media key of the post's image as uploaded, when it has one. */
    @Column(length = 255)
    public String image;

    /** Media key of the processed copy that is served, once the worker wrote it. */
    @Column(name = "image_display", length = 255)
    public String imageDisplay;
}
