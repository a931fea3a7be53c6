package dev.stepbystep.shared.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.util.Optional;

/**
 * Factor III: production must not run with the development {@code SECRET_KEY} that ships in
 * this open repository, or anyone could forge tokens. Runs first among startup observers.
 */
@ApplicationScoped
public class SecretKeyGuard {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, AppConfig config) {
        String key = config.secretKey().orElse(null);
        if (key == null) {
            throw new StartupRefusedException("SECRET_KEY is set but empty; unset it for the development value, or set a real key");
        }
        if (config.requireProductionSecret()) {
            problem(key).ifPresent(reason -> {
                throw new StartupRefusedException(reason);
            });
        }
    }

    /** Why {@code secretKey} is unfit for production, or empty when it is fit. */
    public static Optional<String> problem(String secretKey) {
        if (secretKey == null || secretKey.isBlank() || AppConfig.DEVELOPMENT_SECRET_KEY.equals(secretKey)) {
            return Optional.of("SECRET_KEY is missing or still the development value; set it to a random string of at least "
                    + AppConfig.MIN_PRODUCTION_SECRET_LENGTH + " characters");
        }
        if (secretKey.length() < AppConfig.MIN_PRODUCTION_SECRET_LENGTH) {
            return Optional.of("SECRET_KEY is shorter than " + AppConfig.MIN_PRODUCTION_SECRET_LENGTH + " characters");
        }
        return Optional.empty();
    }
}
