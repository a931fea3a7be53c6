package dev.stepbystep.shared.runtime;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Drops one warning that Quarkus 3.33 logs at every start by mistake, and nothing else.
 *
 * <p>Its Redis recorder builds the default Vert.x Redis client twice: the client and the data
 * source build steps of quarkus-redis-client both call {@code RedisClientRecorder.initialize},
 * which keeps the first client with {@code Map.putIfAbsent} after building the second one anyway.
 * The second client is never used, but its pool metrics are registered under the same name, and
 * Micrometer warns "This Gauge has been already registered (MeterId{name='redis.pool.queue.size'
 * ...". The gauges served are the first client's, the one in use. Later Quarkus versions build
 * the client once ({@code computeIfAbsent}); remove this filter with that upgrade.
 */
@LoggingFilter(name = "upstream-warnings")
public final class UpstreamWarningFilter implements Filter {

    static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";

    @Override
    public boolean isLoggable(LogRecord record) {
        // By value: records from SLF4J (as Micrometer's) carry the log manager's own WARN level.
        if (record.getLevel().intValue() != Level.WARNING.intValue() || !LOGGER.equals(record.getLoggerName())) {
            return true;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        return message == null || !(message.startsWith("This Gauge has been already registered")
                && message.contains("name='redis.pool."));
    }
}
