package dev.stepbystep.web.auth;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Hears PostgreSQL announce accounts whose access changed (the trigger of migration V3: active
 * or staff flags, password, deletion) and records each in {@link AccessStamps}, so the tokens
 * issued before the change end within a second on every web replica. One connection of the pool
 * listens; if it drops it reconnects with backoff (a change made while no replica listens is
 * missed: its tokens then live out their lifetime, 5 minutes for access tokens, as before).
 */
@ApplicationScoped
public class AccessChangeListener {

    static final String CHANNEL = "app_user_access_changed";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AccessStamps stamps;

    @ConfigProperty(name = "web.access-changes.listen", defaultValue = "true")
    boolean enabled;

    private volatile boolean running;
    private Thread loop;

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        running = true;
        loop = Thread.ofPlatform().daemon().name("access-changes").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
    }

    private void run() {
        long backoffMs = 100;
        boolean failing = false;
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                if (failing) {
                    Log.info("listening for account access changes again");
                    failing = false;
                }
                backoffMs = 100;
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            apply(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!failing) {
                    Log.warnf("not listening for account access changes (%s); retrying", e.getMessage());
                    failing = true;
                }
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoffMs = Math.min(5_000, backoffMs * 2);
            }
        }
    }

    private void apply(String payload) {
        int colon = payload == null ? -1 : payload.indexOf(':');
        try {
            long userId = Long.parseLong(payload.substring(0, colon));
            long atMs = Long.parseLong(payload.substring(colon + 1));
            stamps.changed(userId, atMs);
            Log.infof("access of user=%d changed: its earlier tokens end", userId);
        } catch (RuntimeException e) {
            Log.warnf("unreadable access change '%s' ignored: %s", payload, e.getMessage());
        }
    }
}
