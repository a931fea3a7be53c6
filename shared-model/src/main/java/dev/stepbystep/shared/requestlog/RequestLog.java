package dev.stepbystep.shared.requestlog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One served request. The user is kept as a plain id, not an association: rows are written in
 * batches off the request path and must not load users.
 */
@Entity
@Table(name = "request_log")
public class RequestLog extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id")
    public Long userId;

    @Column(nullable = false)
    public Instant date = Instant.now();

    @Column(nullable = false, length = 2000)
    public String path;

    @Column(name = "full_path", nullable = false, length = 4000)
    public String fullPath;

    @Column(nullable = false, length = 16)
    public String method;

    @Column(name = "status_code", nullable = false)
    public int statusCode;

    @Column(name = "execution_time_ms", nullable = false)
    public int executionTimeMs;

    @Column(name = "remote_address", length = 64)
    public String remoteAddress;
}
