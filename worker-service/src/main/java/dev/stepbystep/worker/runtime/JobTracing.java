package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.TraceContext;
import dev.stepbystep.jobs.broker.Outcome;
import dev.stepbystep.jobs.broker.StartedJob;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import dev.stepbystep.shared.config.AppConfig;
import org.jboss.logging.MDC;

import java.util.concurrent.TimeUnit;

/**
 * A span for each attempt, continuing the trace of the job's enqueue (the traceparent it carries),
 * current while the handler runs so the SMTP, S3 and HTTP calls it makes are its children, and
 * with its ids in the MDC so the attempt's log lines carry them. Without an export endpoint
 * (TracingSampler records nothing), a job enqueued outside any trace gets no span at all: there
 * is nothing to correlate, and the drain loop stays as cheap as it was.
 */
@ApplicationScoped
public class JobTracing {

    /** The span of one attempt, current until {@link #close}. */
    public interface Attempt extends AutoCloseable {
        void ended(Outcome outcome);

        @Override
        void close();
    }

    private static final Attempt NONE = new Attempt() {
        @Override
        public void ended(Outcome outcome) {
        }

        @Override
        public void close() {
        }
    };

    @Inject
    Tracer tracer;

    @Inject
    AppConfig config;

    /** No spans at all (tests of the executor alone). */
    static JobTracing off() {
        return new JobTracing();
    }

    Attempt start(StartedJob job) {
        if (tracer == null || (job.traceparent().isEmpty() && !config.tracing().exporting())) {
            return NONE;
        }
        long waitMs = Math.max(0, System.currentTimeMillis() - job.readyAtMs());
        Span span = tracer.spanBuilder("job " + job.task())
                .setParent(TraceContext.parent(job.traceparent()))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "redis")
                .setAttribute("messaging.operation", "process")
                .setAttribute("messaging.destination.name", job.queue())
                .setAttribute("messaging.message.id", job.jobId())
                .setAttribute("job.task", job.task())
                .setAttribute("job.attempt", job.attempt())
                .setAttribute("job.queue_wait_ms", waitMs)
                .setStartTimestamp(System.currentTimeMillis(), TimeUnit.MILLISECONDS)
                .startSpan();
        Scope scope = span.makeCurrent();
        Object previousTrace = MDC.put("traceId", span.getSpanContext().getTraceId());
        Object previousSpan = MDC.put("spanId", span.getSpanContext().getSpanId());
        return new Attempt() {
            @Override
            public void ended(Outcome outcome) {
                span.setAttribute("job.outcome", outcome.kind().name().toLowerCase());
                if (outcome.kind() == Outcome.Kind.RETRY || outcome.kind() == Outcome.Kind.DEAD) {
                    span.setStatus(StatusCode.ERROR, AttemptPolicy.firstLine(outcome.data()));
                }
            }

            @Override
            public void close() {
                restore("traceId", previousTrace);
                restore("spanId", previousSpan);
                scope.close();
                span.end();
            }
        };
    }

    private static void restore(String key, Object previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
