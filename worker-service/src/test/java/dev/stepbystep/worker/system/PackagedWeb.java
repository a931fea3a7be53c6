package dev.stepbystep.worker.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.worker.MediaS3Resource;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged web-service, started once for the flow tests of this module (ChatFlowTest,
 * MediaFlowTest) on the queue, database and S3 bucket of the worker running in this JVM, so a
 * request to it is served by web and its jobs by that live worker. Stopped with that worker
 * application ({@link Stopper}), before the test resources clean up, so nothing it writes outlives them.
 */
final class PackagedWeb {

    private static final Path WEB_JAR = Path.of("../web-service/target/quarkus-app/quarkus-run.jar");
    /** A bcrypt hash (cost 4) of PASSWORD: web verifies plain bcrypt hashes and upgrades them at login. */
    static final String PASSWORD = "chat flow password";
    private static final String PASSWORD_HASH = "$2a$04$RDjjzbhhFH2e27REoj7QyeD.6Npf9n.hx2LIj/jRm7poiE854N3WC";
    /** WEB_CHAT_WAIT of this web: long enough for a live worker's reply, short enough to test the 202. */
    static final String CHAT_WAIT = "3S";

    private static PackagedService web;

    private PackagedWeb() {
    }

    static synchronized PackagedService get() {
        if (web == null) {
            Map<String, String> env = new HashMap<>(BackingServices.locate().asEnvironment());
            env.putAll(MediaS3Resource.environment());
            env.put("SECRET_KEY", "flow-" + UUID.randomUUID() + UUID.randomUUID());
            env.put("APP_QUEUE_PREFIX", BackingServices.QUEUE_PREFIX); // the queue this JVM's worker consumes
            env.put("WEB_CHAT_WAIT", CHAT_WAIT);
            env.put("WEB_COOKIES_SECURE", "false");
            PackagedService started = PackagedService.start(WEB_JAR, env);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .failFast("web died:\n" + started.outputText(), () -> !started.process().isAlive())
                    .until(() -> started.status("/api/health-check/") == 200);
            web = started;
        }
        return web;
    }

    static synchronized void stop() {
        if (web != null) {
            web.close();
            web = null;
        }
    }

    /** Stops the packaged web with the in-process application it serves. */
    @jakarta.enterprise.context.ApplicationScoped
    static class Stopper {
        void stop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
            PackagedWeb.stop();
        }
    }

    /** A new active user (in the shared database) and an access token from web for it. */
    static String logIn(String email) throws Exception {
        QuarkusTransaction.requiringNew().run(() -> {
            User u = new User();
            u.email = email;
            u.passwordHash = PASSWORD_HASH;
            u.active = true;
            u.persist();
        });
        HttpResponse<String> token = send(HttpRequest.newBuilder(uri("/api/token/")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}")));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return new ObjectMapper().readTree(token.body()).path("access").asText();
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + get().port() + path);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
