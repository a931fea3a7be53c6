package dev.stepbystep.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The environment a test gives the packaged services it starts: this JVM's backing services, a
 * queue prefix of the test's own, an SMTP server on loopback, plain-http cookies, migrations at
 * start, and a fresh SECRET_KEY.
 */
public final class ServiceEnvironment {

    private ServiceEnvironment() {
    }

    public static Map<String, String> of(BackingServices.Endpoints services, String prefix, int smtpPort) {
        Map<String, String> env = new HashMap<>(services.asEnvironment());
        env.put("SECRET_KEY", prefix + "-" + UUID.randomUUID() + UUID.randomUUID());
        env.put("APP_QUEUE_PREFIX", prefix);
        env.put("FRONTEND_URL", "https://app.example.com");
        env.put("EMAIL_HOST", "127.0.0.1");
        env.put("EMAIL_PORT", Integer.toString(smtpPort));
        env.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        env.put("WEB_COOKIES_SECURE", "false");
        env.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
        return env;
    }
}
