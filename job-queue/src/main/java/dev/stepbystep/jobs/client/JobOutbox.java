package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.RedisScripts;

import dev.stepbystep.jobs.KeySchema;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Transactional enqueue. A job enqueued while a JTA transaction is active is written to the
 * {@code job_outbox} table in that transaction and pushed to Redis only after it commits: a
 * rollback leaves no job, and no worker can read the job before the rows it is about are visible.
 * The push right after the commit is asynchronous (the caller does not wait for Redis) and takes
 * the transaction's jobs together ({@code enqueue_bulk.lua}, windows of {@link JobQueue#BULK_WINDOW}); a row
 * that a crash or a Redis outage leaves behind is pushed by {@link OutboxRelay}. The row's id is
 * the job's id, and the push sets a marker key, so a row pushed twice makes one job.
 */
@ApplicationScoped
public class JobOutbox {

    private static final String INSERT = "insert into job_outbox (id, queue_prefix, task, queue, payload, max_retries, "
            + "time_limit_ms, enqueued_at_ms, eta_ms, owner_id, idempotency_key, traceparent) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String COLUMNS = "id, task, queue, payload, max_retries, time_limit_ms, enqueued_at_ms, eta_ms, owner_id, "
            + "idempotency_key, traceparent";
    /** The transaction's jobs, kept with the transaction itself (one list, one synchronization per transaction). */
    private static final Object PENDING = new Object();

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RedisScripts scripts;

    @Inject
    QueueConfig config;

    private final AtomicBoolean pushFailing = new AtomicBoolean();

    /** True when the calling thread is in a transaction that can still commit (or is marked for rollback). */
    boolean inTransaction() {
        int status = transactions.getTransactionStatus();
        return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK;
    }

    /** Writes {@code job} in the caller's transaction; it is pushed once that transaction commits. */
    void add(PreparedJob job) {
        addAll(List.of(job));
    }

    /** Writes {@code jobs} in the caller's transaction (one JDBC batch); they are pushed once it commits. */
    void addAll(List<PreparedJob> jobs) {
        // Agroal hands out the connection already enlisted in this transaction (the one Hibernate
        // uses), so the rows commit or roll back with the caller's own writes.
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(INSERT)) {
            for (PreparedJob job : jobs) {
                s.setObject(1, UUID.fromString(job.id()));
                s.setString(2, config.prefix());
                s.setString(3, job.task());
                s.setString(4, job.queue());
                s.setString(5, job.payload());
                s.setInt(6, job.maxRetries());
                s.setLong(7, job.timeLimitMs());
                s.setLong(8, job.enqueuedAtMs());
                s.setLong(9, job.etaMs());
                s.setObject(10, job.ownerId());
                s.setString(11, job.idempotencyKey().isEmpty() ? null : job.idempotencyKey());
                s.setString(12, job.traceparent().isEmpty() ? null : job.traceparent());
                if (jobs.size() == 1) {
                    s.executeUpdate();
                } else {
                    s.addBatch();
                }
            }
            if (jobs.size() > 1) {
                s.executeBatch();
            }
        } catch (SQLException e) {
            String what = jobs.size() == 1 ? "job " + jobs.get(0).id() : jobs.size() + " jobs";
            throw new PersistenceException("cannot write " + what + " to the outbox: " + e.getMessage(), e);
        }
        @SuppressWarnings("unchecked")
        List<PreparedJob> pending = (List<PreparedJob>) transactions.getResource(PENDING);
        if (pending == null) {
            List<PreparedJob> committed = new ArrayList<>();
            transactions.putResource(PENDING, committed);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        afterCommit(committed);
                    }
                }
            });
            pending = committed;
        }
        pending.addAll(jobs);
    }

    /** Pushes a committed transaction's jobs without waiting: bulk calls, in the order they were enqueued. */
    private void afterCommit(List<PreparedJob> jobs) {
        if (config.outbox().haltAfterCommit()) {
            Log.warnf("app.queue.outbox.halt-after-commit is set: halting before pushing %d committed job(s)", jobs.size());
            Runtime.getRuntime().halt(137);
        }
        KeySchema keys = new KeySchema(config.prefix());
        long ttl = markerTtlSeconds();
        for (int from = 0; from < jobs.size(); from += JobQueue.BULK_WINDOW) {
            List<PreparedJob> window = jobs.subList(from, Math.min(jobs.size(), from + JobQueue.BULK_WINDOW));
            BulkEnqueue bulk = new BulkEnqueue(window, keys, ttl);
            scripts.runAllAsync(RedisScripts.Script.ENQUEUE_BULK, bulk.keys(), bulk.args()).subscribe().with(
                    pushed -> {
                        if (pushFailing.compareAndSet(true, false)) {
                            Log.info("outbox: pushing committed jobs to Redis works again");
                        }
                    },
                    failure -> {
                        if (pushFailing.compareAndSet(false, true)) {
                            Log.warnf("outbox: %s committed but not pushed (%s); the relay delivers %s once Redis answers",
                                    window.size() == 1 ? "job " + window.get(0).id() : window.size() + " jobs",
                                    failure.getMessage(), window.size() == 1 ? "it" : "them");
                        }
                    });
        }
    }

    long markerTtlSeconds() {
        return Math.max(1, config.idempotencyTtl().toSeconds());
    }

    /** A job still waiting in the outbox (committed, not yet known to be in Redis), as {@code queued}. */
    Optional<JobStatus> find(String jobId) {
        UUID id;
        try {
            id = UUID.fromString(jobId);
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from job_outbox where id = ? and queue_prefix = ?")) {
            s.setObject(1, id);
            s.setString(2, config.prefix());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                PreparedJob job = read(r);
                return Optional.of(new JobStatus(job.id(), job.task(), job.queue(), JobState.QUEUED, 0, job.maxRetries(),
                        Instant.ofEpochMilli(job.enqueuedAtMs()), Instant.ofEpochMilli(Math.max(job.enqueuedAtMs(), job.etaMs())),
                        null, null, null, null, null, job.ownerId(), job.payload(), java.util.List.of(), null));
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read the outbox: " + e.getMessage(), e);
        }
    }

    static PreparedJob read(ResultSet r) throws SQLException {
        return new PreparedJob(r.getObject("id").toString(), r.getString("task"), r.getString("queue"), r.getString("payload"),
                r.getInt("max_retries"), r.getLong("time_limit_ms"), r.getLong("enqueued_at_ms"), r.getLong("eta_ms"),
                r.getObject("owner_id", Long.class), r.getString("idempotency_key"), true, r.getString("traceparent"));
    }
}
