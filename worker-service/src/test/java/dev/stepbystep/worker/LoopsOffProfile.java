package dev.stepbystep.worker;

import dev.stepbystep.testing.PackagedService;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The worker application with its job loops off ({@code worker.enabled=false}), for tests that
 * drive its parts by hand, and no SMTP server where it sends mail, with the dev profile's
 * fallback on (the email is logged). One profile, so these tests share one application start.
 */
public class LoopsOffProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        String closed = Integer.toString(PackagedService.freePort()); // nothing listens there
        return Map.of("worker.enabled", "false", "worker.email.log-when-unreachable", "true",
                "worker.email.port", closed, "quarkus.mailer.port", closed);
    }
}
