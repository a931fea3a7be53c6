package dev.stepbystep.shared.database;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Reads the database secret as the service starts, so a missing secret, a denied call or an
 * unreachable endpoint stops start-up with one line naming the secret, even in a service that
 * would otherwise open its first database connection only later (the worker, at its first job).
 */
@ApplicationScoped
public class DatabaseSecretCheck {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent event, DatabaseSecret secret) {
        if (secret.enabled()) {
            secret.current();
        }
    }
}
