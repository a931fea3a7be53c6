package dev.stepbystep.worker.system;

import com.icegreen.greenmail.util.GreenMail;
import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.worker.GreenMailResource;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sign-ups across the packaged web and worker processes, as users make them and as things fail:
 * many clients at once with the worker consuming while web's transactions commit (the worker
 * must never see a job before its row is committed), web killed right after a commit, and Redis
 * down during a sign-up. Every account gets exactly one email (a real SMTP server, GreenMail,
 * in this JVM), and its link activates the account and logs it in.
 */
class SignupDeliveryIT {

    private static final Path WEB_JAR = Path.of("../web-service/target/quarkus-app/quarkus-run.jar");
    private static final int CLIENTS = 8;
    private static final int SIGNUPS = 200;

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final String prefix = "load-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    private GreenMail smtp;

    @BeforeEach
    void startSmtp() {
        smtp = GreenMailResource.smtpServer();
        smtp.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        smtp.stop();
        SignupFlows.cleanUp(services, prefix);
    }

    private Map<String, String> env() {
        Map<String, String> env = SignupFlows.env(services, prefix, smtp);
        // Every client here is loopback: lift the per-address sign-up limit the load would hit.
        env.put("WEB_REGISTER_PER_ADDRESS", "100000");
        return env;
    }

    private static void awaitReady(PackagedService service) {
        SignupFlows.awaitReady(service);
    }

    private int register(PackagedService web, String email) throws java.io.IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/api/register/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"load test password\"}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void everySignupFromConcurrentClientsGetsExactlyOneEmailWhileAWorkerRuns() throws Exception {
        Map<String, String> env = env();
        try (PackagedService web = PackagedService.start(WEB_JAR, env);
             PackagedService worker = PackagedService.start(env)) {
            awaitReady(web);
            awaitReady(worker);

            List<String> emails = new ArrayList<>();
            for (int i = 0; i < SIGNUPS; i++) {
                emails.add(prefix + "-" + i + "@example.com");
            }
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (String email : emails) {
                    answers.add(clients.submit(() -> register(web, email)));
                }
                for (Future<Integer> answer : answers) {
                    assertThat(answer.get()).isEqualTo(201);
                }
            } finally {
                clients.shutdownNow();
            }

            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> smtp.getReceivedMessages().length >= SIGNUPS);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(smtp.getReceivedMessages().length + " of " + SIGNUPS + " confirmation emails arrived", e);
            }
            // Give a duplicate time to show up before counting.
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            Set<String> recipients = new TreeSet<>();
            for (MimeMessage message : smtp.getReceivedMessages()) {
                recipients.add(message.getRecipients(Message.RecipientType.TO)[0].toString());
            }
            assertThat(smtp.getReceivedMessages()).hasSize(SIGNUPS);
            assertThat(recipients).containsExactlyInAnyOrderElementsOf(emails);

            // The rest of the path, for one of them: the emailed link activates and logs in.
            MimeMessage first = smtp.getReceivedMessages()[0];
            String email = first.getRecipients(Message.RecipientType.TO)[0].toString();
            String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(first);
            java.util.regex.Matcher link = java.util.regex.Pattern
                    .compile("https://app\\.example\\.com/verify/([A-Za-z0-9_-]+)/([0-9a-z]+-[0-9a-f]+)").matcher(body);
            assertThat(link.find()).as("activation link in the email: %s", body).isTrue();
            // Opened on another device than the sign-up's: the password proves the registrant.
            HttpResponse<String> activated = post(web, "/api/activate/" + link.group(1) + "/" + link.group(2) + "/",
                    "{\"password\":\"load test password\"}");
            assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
            assertThat(activated.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("access="));
            HttpResponse<String> login = post(web, "/api/token/", "{\"email\":\"" + email + "\",\"password\":\"load test password\"}");
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        }
    }

    private HttpResponse<String> post(PackagedService web, String path, String json) throws java.io.IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path));
        request = json == null ? request.POST(HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long users(String email) throws java.sql.SQLException {
        try (var c = DriverManager.getConnection(services.jdbcUrl(), services.username(), services.password());
             var s = c.prepareStatement("select count(*) from app_user where email = ?")) {
            s.setString(1, email);
            var r = s.executeQuery();
            r.next();
            return r.getLong(1);
        }
    }

    private void awaitEmailTo(String email) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> smtp.getReceivedMessages().length >= 1);
        assertThat(smtp.getReceivedMessages()).singleElement().satisfies(m ->
                assertThat(m.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo(email));
    }

    /** Web dies (as with kill -9) right after the sign-up's commit, before the push: the relay delivers the email. */
    @Test
    void aSignupCommittedByAWebProcessThatDiesBeforeThePushIsStillEmailed() throws Exception {
        Map<String, String> webEnv = env();
        webEnv.put("APP_QUEUE_OUTBOX_HALT_AFTER_COMMIT", "true");
        String email = prefix + "-halted@example.com";
        try (PackagedService web = PackagedService.start(WEB_JAR, webEnv)) {
            awaitReady(web);
            try {
                register(web, email);
            } catch (java.io.IOException expected) {
                // the process halted before answering
            }
            assertThat(web.awaitExit(Duration.ofSeconds(10))).isEqualTo(137);
            assertThat(web.outputText()).contains("halting before pushing 1 committed job");
        }
        assertThat(users(email)).as("the account committed").isEqualTo(1);
        assertThat(smtp.getReceivedMessages()).isEmpty();

        try (PackagedService worker = PackagedService.start(env())) {
            awaitReady(worker);
            awaitEmailTo(email);
        }
    }

    /** Redis down during a sign-up: 201, and the email goes out once Redis is back. */
    @Test
    void aSignupWhileRedisIsDownIs201AndEmailedOnceRedisIsBack() throws Exception {
        try (dev.stepbystep.testing.TcpProxy redis = new dev.stepbystep.testing.TcpProxy(services.redisHost(), services.redisPort())) {
            Map<String, String> env = env();
            env.put("REDIS_SERVICE_HOST", "127.0.0.1");
            env.put("REDIS_SERVICE_PORT", Integer.toString(redis.port()));
            String email = prefix + "-outage@example.com";
            try (PackagedService web = PackagedService.start(WEB_JAR, env);
                 PackagedService worker = PackagedService.start(env)) {
                awaitReady(web);
                awaitReady(worker);
                redis.cut();
                assertThat(register(web, email)).isEqualTo(201);
                assertThat(users(email)).isEqualTo(1);

                redis.restore();
                awaitEmailTo(email);
                assertThat(web.outputText() + worker.outputText()).doesNotContain("Exception in thread");
            }
        }
    }
}
