package dev.stepbystep.shared.runtime;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * The console handler's filter (a handler takes one): drops {@link UpstreamWarningFilter}'s
 * warning, and gives each line of a traced flow {@code trace_id} and {@code span_id} (in the JSON
 * lines' {@code mdc}), the names log stores and X-Ray/CloudWatch correlate on. OpenTelemetry
 * puts them in the MDC as {@code traceId} and {@code spanId}: Quarkus for HTTP requests, the
 * worker and beat for jobs and fires.
 */
@LoggingFilter(name = "console")
public final class ConsoleFilter implements Filter {

    private final UpstreamWarningFilter upstream = new UpstreamWarningFilter();

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!upstream.isLoggable(record)) {
            return false;
        }
        if (record instanceof ExtLogRecord ext) {
            String traceId = ext.getMdc("traceId");
            if (traceId != null && ext.getMdc("trace_id") == null) {
                ext.putMdc("trace_id", traceId);
                String spanId = ext.getMdc("spanId");
                if (spanId != null) {
                    ext.putMdc("span_id", spanId);
                }
            }
        }
        return true;
    }
}
