package dev.stepbystep.shared.runtime;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter drops exactly the duplicate Redis pool gauge warning, however it is formatted. */
class UpstreamWarningFilterTest {

    private final UpstreamWarningFilter filter = new UpstreamWarningFilter();

    private static ExtLogRecord record(Level level, String logger, String pattern, Object... params) {
        ExtLogRecord r = new ExtLogRecord(level, pattern, ExtLogRecord.FormatStyle.MESSAGE_FORMAT, "test");
        r.setLoggerName(logger);
        r.setParameters(params);
        return r;
    }

    @Test
    void dropsTheDuplicateRedisPoolGaugeWarning() {
        assertThat(filter.isLoggable(record(Level.WARNING, UpstreamWarningFilter.LOGGER,
                "This Gauge has been already registered ({0}), the registration will be ignored.",
                "MeterId{name='redis.pool.queue.size', tags=[tag(pool.name=<default>),tag(pool.type=redis)]}"))).isFalse();
    }

    @Test
    void dropsItAsSlf4jLogsIt() {
        // Micrometer logs through SLF4J: the log manager's WARN level, the message already formatted.
        ExtLogRecord r = new ExtLogRecord(org.jboss.logmanager.Level.WARN, "This Gauge has been already registered "
                + "(MeterId{name='redis.pool.queue.size', tags=[]}), the registration will be ignored.", "test");
        r.setLoggerName(UpstreamWarningFilter.LOGGER);
        assertThat(filter.isLoggable(r)).isFalse();
    }

    @Test
    void keepsEveryOtherRecord() {
        String pattern = "This Gauge has been already registered ({0}), the registration will be ignored.";
        assertThat(filter.isLoggable(record(Level.WARNING, UpstreamWarningFilter.LOGGER, pattern,
                "MeterId{name='http.client.active.connections', tags=[]}"))).as("another gauge").isTrue();
        assertThat(filter.isLoggable(record(Level.WARNING, "dev.stepbystep.worker", pattern,
                "MeterId{name='redis.pool.queue.size'}"))).as("another logger").isTrue();
        assertThat(filter.isLoggable(record(Level.SEVERE, UpstreamWarningFilter.LOGGER, pattern,
                "MeterId{name='redis.pool.queue.size'}"))).as("another level").isTrue();
        assertThat(filter.isLoggable(record(Level.WARNING, UpstreamWarningFilter.LOGGER, "something else"))).isTrue();
    }
}
