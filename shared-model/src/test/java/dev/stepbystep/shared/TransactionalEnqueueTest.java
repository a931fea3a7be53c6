package dev.stepbystep.shared;

import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.JobState;
import dev.stepbystep.jobs.client.JobStatus;
import dev.stepbystep.jobs.client.OutboxRelay;
import dev.stepbystep.shared.tasks.Tasks;

import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.RespClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Jobs enqueued inside a database transaction, against the real PostgreSQL and Redis: delivered
 * if and only if the transaction commits, never visible in Redis before the commit, and swept by
 * the relay when the push after the commit did not happen. The relay's own loop is off here, so
 * each test runs a sweep when it wants one.
 */
@QuarkusTest
@TestProfile(TransactionalEnqueueTest.ManualRelay.class)
class TransactionalEnqueueTest {

    public static class ManualRelay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("app.queue.outbox.relay-enabled", "false", "app.queue.outbox.relay-after", "0S");
        }
    }

    @Inject
    JobQueue jobs;

    @Inject
    OutboxRelay relay;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueueConfig config;

    private final BackingServices.Endpoints services = BackingServices.locate();
    private RespClient redis;

    @BeforeEach
    void connect() {
        redis = RespClient.connect(services);
    }

    @AfterEach
    void cleanUp() throws SQLException {
        redis.close();
        try (Connection c = dataSource.getConnection();
             var s = c.prepareStatement("delete from job_outbox where queue_prefix in (?, 'another-deployment')")) {
            s.setString(1, config.prefix());
            s.executeUpdate();
        }
    }

    private boolean inRedis(String id) {
        return (Long) redis.call("EXISTS", config.prefix() + ":job:" + id) == 1;
    }

    private long outboxRows(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) from job_outbox where id = ?")) {
            s.setObject(1, UUID.fromString(id));
            var r = s.executeQuery();
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aJobEnqueuedInATransactionThatRollsBackNeverExists() throws SQLException {
        String[] id = new String[1];
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            id[0] = jobs.enqueue(Tasks.DEBUG, DebugSleep.sleep(0)).jobId();
            throw new IllegalStateException("the caller's work failed");
        })).hasMessageContaining("the caller's work failed");

        assertThat(outboxRows(id[0])).isZero();
        assertThat(relay.sweep()).isZero();
        assertThat(inRedis(id[0])).isFalse();
        assertThat(jobs.status(id[0])).isEmpty();
    }

    @Test
    void aJobEnqueuedInATransactionReachesRedisOnlyAfterTheCommit() throws SQLException {
        String id = QuarkusTransaction.requiringNew().call(() -> {
            String jobId = jobs.enqueue(Tasks.DEBUG, DebugSleep.sleep(0)).jobId();
            assertThat(inRedis(jobId)).as("nothing in Redis before the commit").isFalse();
            return jobId;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> inRedis(id));
        assertThat(jobs.status(id)).get().extracting(JobStatus::state).isEqualTo(JobState.QUEUED);
        assertThat(outboxRows(id)).as("the row waits for the relay to delete it").isEqualTo(1);

        assertThat(relay.sweep()).isEqualTo(1);
        assertThat(outboxRows(id)).isZero();
        assertThat((Long) redis.call("XLEN", config.prefix() + ":q:default")).isPositive();
        assertThat(redis.call("HGET", config.prefix() + ":job:" + id, "attempts")).as("pushed again: still one job").isEqualTo("0");
    }

    @Test
    void aCommittedJobThatWasNeverPushedIsQueuedAndTheRelayDeliversItOnce() throws SQLException {
        // What a process killed right after its commit leaves: the row, and nothing in Redis.
        String id = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "insert into job_outbox (id, queue_prefix, task, queue, payload, max_retries, time_limit_ms, enqueued_at_ms, eta_ms, owner_id) "
                        + "values (?, ?, 'core.debug_task', 'default', '{\"sleepMs\":0}', 3, 60000, ?, ?, 42)")) {
            s.setObject(1, UUID.fromString(id));
            s.setString(2, config.prefix());
            s.setLong(3, System.currentTimeMillis());
            s.setLong(4, System.currentTimeMillis());
            s.executeUpdate();
        }
        assertThat(jobs.status(id)).get().satisfies(status -> {
            assertThat(status.state()).isEqualTo(JobState.QUEUED);
            assertThat(status.ownerId()).isEqualTo(42L);
        });

        assertThat(relay.sweep()).isEqualTo(1);
        assertThat(inRedis(id)).isTrue();
        assertThat(outboxRows(id)).isZero();
        assertThat(relay.sweep()).isZero();
        assertThat(jobs.status(id)).get().extracting(JobStatus::ownerId).isEqualTo(42L);
    }

    @Test
    void rowsOfAnotherQueuePrefixAreLeftToTheirOwnRelay() throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "insert into job_outbox (id, queue_prefix, task, queue, payload, max_retries, time_limit_ms, enqueued_at_ms, eta_ms) "
                        + "values (?, 'another-deployment', 'core.debug_task', 'default', '{}', 3, 60000, 0, 0)")) {
            s.setObject(1, UUID.fromString(id));
            s.executeUpdate();
        }
        assertThat(relay.sweep()).isZero();
        assertThat(outboxRows(id)).isEqualTo(1);
        assertThat(jobs.status(id)).isEmpty();
    }

    @Test
    void aBulkEnqueueInATransactionThatRollsBackLeavesNothing() throws SQLException {
        List<String> ids = new ArrayList<>();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            jobs.enqueueAll(Tasks.DEBUG, List.of(DebugSleep.sleep(0), DebugSleep.sleep(0), DebugSleep.sleep(0)), EnqueueOptions.defaults())
                    .forEach(e -> ids.add(e.jobId()));
            throw new IllegalStateException("the caller's work failed");
        })).hasMessageContaining("the caller's work failed");

        assertThat(ids).hasSize(3);
        for (String id : ids) {
            assertThat(outboxRows(id)).isZero();
            assertThat(inRedis(id)).isFalse();
        }
        assertThat(relay.sweep()).isZero();
    }

    @Test
    void aBulkEnqueueInATransactionReachesRedisOnlyAfterTheCommitAndOnceEach() throws SQLException {
        List<String> ids = QuarkusTransaction.requiringNew().call(() -> {
            List<String> jobIds = new ArrayList<>();
            jobs.enqueueAll(Tasks.DEBUG, java.util.Collections.nCopies(300, DebugSleep.sleep(0)), EnqueueOptions.defaults())
                    .forEach(e -> jobIds.add(e.jobId()));
            jobIds.add(jobs.enqueueAsync(Tasks.DEBUG, DebugSleep.sleep(0)).toCompletableFuture().getNow(null).jobId());
            for (String id : jobIds) {
                assertThat(inRedis(id)).as("nothing in Redis before the commit").isFalse();
            }
            return jobIds;
        });
        assertThat(ids).hasSize(301).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(5)).until(() -> ids.stream().allMatch(this::inRedis));

        assertThat(relay.sweep()).as("every row swept, none pushed twice").isEqualTo(301);
        for (String id : ids) {
            assertThat(outboxRows(id)).isZero();
            assertThat(redis.call("HGET", config.prefix() + ":job:" + id, "attempts")).isEqualTo("0");
        }
    }

    @Test
    void outsideATransactionTheJobGoesToRedisAtOnce() throws SQLException {
        String id = jobs.enqueue(Tasks.DEBUG, DebugSleep.sleep(0)).jobId();
        assertThat(inRedis(id)).isTrue();
        assertThat(outboxRows(id)).isZero();
    }
}
