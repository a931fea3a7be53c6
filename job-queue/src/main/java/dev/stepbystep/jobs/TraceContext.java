package dev.stepbystep.jobs;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.List;

/**
 * Carries a trace from an enqueue to the job's attempts: the W3C {@code traceparent} of the span
 * current at the enqueue (an HTTP request, a beat fire) is stored with the job, and the worker's
 * span for each attempt continues it. Only the OpenTelemetry API is needed here; without an SDK
 * (or outside any span) there is no trace to carry and jobs get "".
 */
public final class TraceContext {

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private TraceContext() {
    }

    /** The traceparent of the current span, or "" when there is none. */
    public static String current() {
        if (!Span.current().getSpanContext().isValid()) {
            return "";
        }
        String[] out = {""};
        W3C.inject(Context.current(), out, (carrier, key, value) -> {
            if ("traceparent".equals(key) && carrier != null) {
                carrier[0] = value;
            }
        });
        return out[0];
    }

    /**
     * The context a job's span continues: its parent from {@code traceparent}, or the root
     * context when there is none or it is malformed (a job's fields come from Redis, which anyone
     * with access can write; a bad value starts a new trace and is otherwise ignored).
     */
    public static Context parent(String traceparent) {
        if (traceparent == null || traceparent.isEmpty() || traceparent.length() > 64) {
            return Context.root();
        }
        return W3C.extract(Context.root(), traceparent, TRACEPARENT);
    }
}
