package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.RedisScripts;

import dev.stepbystep.jobs.KeySchema;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Pushes outbox rows that their own process did not (it died after the commit, or Redis was
 * down), then deletes them. Each sweep locks its rows with {@code FOR UPDATE SKIP LOCKED}, so
 * the relays of several web and worker processes share the work without waiting on each other,
 * and deletes them only after Redis has taken them: a relay killed mid-sweep loses nothing.
 * Pushing a row whose job is already in Redis is a no-op ({@link JobOutbox}).
 */
@ApplicationScoped
public class OutboxRelay {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RedisScripts scripts;

    @Inject
    QueueConfig config;

    @Inject
    JobOutbox outbox;

    private volatile boolean running;
    private Thread loop;
    private boolean failing;

    void start(@Observes StartupEvent event) {
        if (!config.outbox().relayEnabled()) {
            return;
        }
        running = true;
        loop = Thread.ofPlatform().daemon().name("outbox-relay").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
    }

    private void run() {
        while (running) {
            int relayed;
            try {
                relayed = sweep();
                if (failing) {
                    failing = false;
                    Log.info("outbox relay: PostgreSQL and Redis answer again; relaying");
                }
            } catch (RuntimeException | SQLException e) {
                relayed = 0;
                if (!failing) {
                    failing = true;
                    Log.warnf("outbox relay: sweep failed (%s); committed jobs wait in the outbox, retrying", e.getMessage());
                }
            }
            if (relayed < config.outbox().relayBatch()) {
                try {
                    Thread.sleep(config.outbox().relayInterval());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One sweep: pushes up to a batch of rows older than {@code relay-after} and deletes them; returns how many. */
    public int sweep() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<PreparedJob> jobs = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("select " + JobOutbox.COLUMNS + " from job_outbox "
                        + "where queue_prefix = ? and created_at <= now() - ? * interval '1 millisecond' "
                        + "order by created_at limit ? for update skip locked")) {
                    s.setString(1, config.prefix());
                    s.setLong(2, config.outbox().relayAfter().toMillis());
                    s.setInt(3, config.outbox().relayBatch());
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            jobs.add(JobOutbox.read(r));
                        }
                    }
                }
                if (jobs.isEmpty()) {
                    c.commit();
                    return 0;
                }
                KeySchema keys = new KeySchema(config.prefix());
                long ttl = outbox.markerTtlSeconds();
                scripts.runAll(RedisScripts.Script.ENQUEUE, jobs.stream().map(j -> j.keys(keys)).toList(),
                        jobs.stream().map(j -> j.args(ttl)).toList());
                try (PreparedStatement d = c.prepareStatement("delete from job_outbox where id = any(?)")) {
                    d.setArray(1, c.createArrayOf("uuid", jobs.stream().map(j -> UUID.fromString(j.id())).toArray()));
                    d.executeUpdate();
                }
                c.commit();
                Log.debugf("outbox relay: %d row(s) pushed (again, for most) and deleted", jobs.size());
                return jobs.size();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
