package dev.stepbystep.worker.system;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.testing.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole sign-up path across processes: the packaged web service takes the registration and
 * enqueues the confirmation job, the packaged worker sends the email to a real SMTP server
 * (GreenMail, in this JVM), and the link in that email activates the account and logs it in.
 */
class SignupEndToEndIT {

    private static final Path WEB_JAR = Path.of("../web-service/target/quarkus-app/quarkus-run.jar");

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final String prefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    private final String email = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    private final HttpClient http = HttpClient.newHttpClient();
    private GreenMail smtp;

    @BeforeEach
    void startSmtp() {
        smtp = new GreenMail(new ServerSetup(PackagedService.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        smtp.stop();
        RedisKeys.deleteAll(services, prefix + ":*");
        try (var c = DriverManager.getConnection(services.jdbcUrl(), services.username(), services.password());
             var s = c.prepareStatement("delete from app_user where email = ?")) {
            s.setString(1, email);
            s.executeUpdate();
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(services.asEnvironment());
        env.put("SECRET_KEY", "e2e-" + UUID.randomUUID() + UUID.randomUUID());
        env.put("APP_QUEUE_PREFIX", prefix);
        env.put("FRONTEND_URL", "https://app.example.com");
        env.put("EMAIL_HOST", "127.0.0.1");
        env.put("EMAIL_PORT", Integer.toString(smtp.getSmtp().getPort()));
        env.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        env.put("WEB_COOKIES_SECURE", "false");
        env.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
        return env;
    }

    private HttpResponse<String> post(PackagedService web, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path));
        request = json == null ? request.POST(HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void registerEmailLinkActivatesAndLogsIn() throws Exception {
        assertThat(Files.isRegularFile(WEB_JAR)).as("web-service is packaged before worker-service in the reactor").isTrue();
        Map<String, String> env = env();
        try (PackagedService web = PackagedService.start(WEB_JAR, env);
             PackagedService worker = PackagedService.start(env)) {
            for (PackagedService service : new PackagedService[] {web, worker}) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .failFast("service died:\n" + service.outputText(), () -> !service.process().isAlive())
                        .until(() -> service.status("/q/health/ready") == 200);
            }

            HttpResponse<String> registered = post(web, "/api/register/",
                    "{\"email\":\"" + email + "\",\"password\":\"end to end password\"}");
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length == 1);
            String body = GreenMailUtil.getBody(smtp.getReceivedMessages()[0]);
            Matcher link = Pattern.compile("https://app\\.example\\.com/verify/([A-Za-z0-9_-]+)/([0-9a-z]+-[0-9a-f]+)").matcher(body);
            assertThat(link.find()).as("activation link in the email: %s", body).isTrue();

            HttpResponse<String> activated = post(web, "/api/activate/" + link.group(1) + "/" + link.group(2) + "/", null);
            assertThat(activated.statusCode()).isEqualTo(200);
            assertThat(activated.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("access="));

            HttpResponse<String> login = post(web, "/api/token/", "{\"email\":\"" + email + "\",\"password\":\"end to end password\"}");
            assertThat(login.statusCode()).isEqualTo(200);
        }
    }
}
