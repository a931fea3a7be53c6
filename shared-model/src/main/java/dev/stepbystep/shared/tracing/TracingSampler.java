package dev.stepbystep.shared.tracing;

import dev.stepbystep.shared.config.AppConfig;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Whether spans are recorded: only when there is somewhere to send them. With
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} set, every trace that starts here (or arrives sampled) is
 * recorded and exported, or the ratio {@code OTEL_TRACES_SAMPLER_ARG} of the new ones; without
 * it, nothing is recorded or exported, and the only cost is the ids that log lines and jobs carry.
 */
@Singleton
public class TracingSampler {

    @Inject
    AppConfig config;

    @Produces
    @Singleton
    Sampler sampler() {
        return choose(config.tracing().exporting(), config.tracing().ratio());
    }

    static Sampler choose(boolean exporting, double ratio) {
        if (!exporting) {
            return Sampler.alwaysOff();
        }
        return Sampler.parentBased(ratio >= 1 ? Sampler.alwaysOn() : Sampler.traceIdRatioBased(ratio));
    }
}
