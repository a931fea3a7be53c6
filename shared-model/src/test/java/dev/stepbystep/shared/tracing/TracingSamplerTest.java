package dev.stepbystep.shared.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Spans are recorded only when they have somewhere to go, and then at the configured ratio. */
class TracingSamplerTest {

    private static long recorded(Sampler sampler) {
        long n = 0;
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            String traceId = String.format("%016x%016x", random.nextLong(), random.nextLong());
            if (sampler.shouldSample(Context.root(), traceId, "span", SpanKind.SERVER, Attributes.empty(), List.of())
                    .getDecision() == SamplingDecision.RECORD_AND_SAMPLE) {
                n++;
            }
        }
        return n;
    }

    @Test
    void withoutAnEndpointNothingIsRecorded() {
        assertThat(recorded(TracingSampler.choose(false, 1.0))).isZero();
    }

    @Test
    void withAnEndpointEveryNewTraceOrTheRatioOfThemIsRecorded() {
        assertThat(recorded(TracingSampler.choose(true, 1.0))).isEqualTo(2000);
        assertThat(recorded(TracingSampler.choose(true, 0.25))).isBetween(350L, 650L);
        assertThat(recorded(TracingSampler.choose(true, 0.0))).isZero();
    }
}
