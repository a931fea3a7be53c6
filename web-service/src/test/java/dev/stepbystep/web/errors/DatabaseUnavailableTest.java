package dev.stepbystep.web.errors;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are an outage (503, retry) rather than a bug (500). */
class DatabaseUnavailableTest {

    @Test
    void connectionLoginShutdownAndPoolTimeoutsAreOutages() {
        assertThat(ProblemMappers.databaseUnavailable(new SQLException("Connection refused", "08001"))).isTrue();
        assertThat(ProblemMappers.databaseUnavailable(new SQLException("password authentication failed", "28P01"))).isTrue();
        assertThat(ProblemMappers.databaseUnavailable(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(ProblemMappers.databaseUnavailable(new IllegalStateException("listing posts failed",
                new SQLException("Sorry, acquisition timeout!")))).isTrue();
    }

    @Test
    void otherDatabaseErrorsAreNot() {
        assertThat(ProblemMappers.databaseUnavailable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(ProblemMappers.databaseUnavailable(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(ProblemMappers.databaseUnavailable(new IllegalStateException("no cause"))).isFalse();
    }
}
