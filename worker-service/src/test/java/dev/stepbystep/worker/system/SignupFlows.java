package dev.stepbystep.worker.system;

import com.icegreen.greenmail.util.GreenMail;
import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.testing.RedisKeys;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * What the tests of sign-ups across the packaged web and worker share: the two processes'
 * environment (this JVM's backing services, a queue prefix of the test's own, GreenMail as SMTP),
 * waiting for them to be ready, and removing what a test left.
 */
final class SignupFlows {

    private SignupFlows() {
    }

    static Map<String, String> env(BackingServices.Endpoints services, String prefix, GreenMail smtp) {
        return dev.stepbystep.testing.ServiceEnvironment.of(services, prefix, smtp.getSmtp().getPort());
    }

    /** Waits for readiness; a service that dies or never gets ready fails the test with its output. */
    static void awaitReady(PackagedService service) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .failFast(() -> !service.process().isAlive())
                    .until(() -> service.status("/q/health/ready") == 200);
        } catch (RuntimeException e) {
            throw new AssertionError("not ready:\n" + service.outputText(), e);
        }
    }

    /** Removes the test's users (emails {@code prefix-...@example.com}), outbox rows and Redis keys. */
    static void cleanUp(BackingServices.Endpoints services, String prefix) throws SQLException {
        RedisKeys.deleteAll(services, prefix + ":*");
        try (var c = DriverManager.getConnection(services.jdbcUrl(), services.username(), services.password());
             var users = c.prepareStatement("delete from app_user where email like ?");
             var outbox = c.prepareStatement("delete from job_outbox where queue_prefix = ?")) {
            users.setString(1, prefix + "-%@example.com");
            users.executeUpdate();
            outbox.setString(1, prefix);
            outbox.executeUpdate();
        }
    }
}
