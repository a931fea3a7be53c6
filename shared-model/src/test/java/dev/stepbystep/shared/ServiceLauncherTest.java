package dev.stepbystep.shared;

import dev.stepbystep.shared.runtime.ServiceLauncher;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceLauncherTest {

    @Test
    void reasonPrefersTheDatabaseErrorOverItsSocketCause() {
        var socket = new ConnectException("Connection refused");
        var database = new SQLException("Connection to localhost:1 refused.\nCheck that the hostname and port are correct", "08001", socket);
        var wrapper = new RuntimeException("Failed to start", new IllegalStateException("Unable to build SessionFactory", database));

        assertThat(ServiceLauncher.reason(wrapper))
                .startsWith("PostgreSQL: Connection to localhost:1 refused. Check that the hostname and port are correct")
                .contains("POSTGRES_SERVICE_PORT");
    }

    @Test
    void reasonIsTheInnermostMessageOnOneLine() {
        var failure = new RuntimeException("outer", new IllegalArgumentException("bad value\n  for key"));
        assertThat(ServiceLauncher.reason(failure)).isEqualTo("bad value for key");
    }

    @Test
    void reasonNeverRepeatsCredentialsQuotedInAUri() {
        var failure = new IllegalArgumentException("SRCFG00039: The config property quarkus.redis.hosts with the config value "
                + "\"redis://app:hunter2@bad host:6379\" threw an Exception: Illegal character in authority at index 21");
        assertThat(ServiceLauncher.reason(failure))
                .contains("\"redis://***@bad host:6379\"", "Illegal character in authority")
                .doesNotContain("hunter2");
        assertThat(ServiceLauncher.reason(new IllegalStateException("see https://example.com/docs and rediss://h:6380")))
                .isEqualTo("see https://example.com/docs and rediss://h:6380");
    }
}
