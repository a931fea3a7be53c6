package dev.stepbystep.web;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Environment of the web tests beyond the backing services: an admin address to email. */
public class WebTestConfig implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_EMAIL = "ops@example.com";

    @Override
    public Map<String, String> start() {
        return Map.of("ADMIN_EMAIL", ADMIN_EMAIL);
    }

    @Override
    public void stop() {
    }
}
