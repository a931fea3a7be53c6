package dev.stepbystep.worker.system;

import com.icegreen.greenmail.util.GreenMail;
import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.MotoServer;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.worker.GreenMailResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One sign-up followed across the packaged web and worker processes by its trace, exported over
 * OTLP to a receiver in this test as to a collector: the HTTP request's span, the confirmation
 * job's span in the worker (a child of the request's trace, through the traceparent the job
 * carries), and the SMTP call under the job's span; the web and worker log lines of that sign-up
 * carry the same trace id.
 */
class TraceFlowIT {

    private static final Path WEB_JAR = Path.of("../web-service/target/quarkus-app/quarkus-run.jar");

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final String prefix = "trace-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    private GreenMail smtp;
    private OtlpReceiver otlp;

    @BeforeEach
    void start() throws Exception {
        smtp = GreenMailResource.smtpServer();
        smtp.start();
        otlp = new OtlpReceiver();
    }

    @AfterEach
    void cleanUp() throws Exception {
        otlp.close();
        smtp.stop();
        SignupFlows.cleanUp(services, prefix);
    }

    private Map<String, String> env() {
        Map<String, String> env = SignupFlows.env(services, prefix, smtp);
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint());
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
        return env;
    }

    private static void awaitReady(PackagedService service) {
        SignupFlows.awaitReady(service);
    }

    private Optional<OtlpReceiver.ReceivedSpan> span(String service, String name, String traceId) {
        return otlp.spans().stream()
                .filter(s -> s.service().equals(service) && s.name().equals(name) && (traceId == null || s.traceId().equals(traceId)))
                .findFirst();
    }

    /** The JSON log line of {@code service} that contains {@code text}. */
    private static String line(PackagedService service, String text) {
        return service.outputText().lines().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + text + " in:\n" + service.outputText()));
    }

    @Test
    void oneSignupIsOneTraceFromTheRequestThroughTheJobToSmtp() throws Exception {
        Map<String, String> env = env();
        try (PackagedService web = PackagedService.start(WEB_JAR, env);
             PackagedService worker = PackagedService.start(env)) {
            awaitReady(web);
            awaitReady(worker);

            String email = prefix + "-1@example.com";
            HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/api/register/"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"trace test password\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length == 1);

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(span("web-service", "POST /api/register", null))
                            .as("spans so far: %s (requests %s)", otlp.spans(), otlp.paths()).isPresent());
            OtlpReceiver.ReceivedSpan request = span("web-service", "POST /api/register", null).orElseThrow();
            String traceId = request.traceId();

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(span("worker-service", "job accounts.send_confirmation_email", traceId)).as("spans: %s", otlp.spans()).isPresent();
                assertThat(span("worker-service", "smtp send", traceId)).as("spans: %s", otlp.spans()).isPresent();
            });
            OtlpReceiver.ReceivedSpan job = span("worker-service", "job accounts.send_confirmation_email", traceId).orElseThrow();
            OtlpReceiver.ReceivedSpan smtpSpan = span("worker-service", "smtp send", traceId).orElseThrow();
            assertThat(smtpSpan.parentSpanId()).as("the SMTP call is the job's child").isEqualTo(job.spanId());
            assertThat(job.attributes()).containsEntry("job.task", "accounts.send_confirmation_email")
                    .containsEntry("messaging.destination.name", "default").containsKey("job.queue_wait_ms");
            assertThat(job.attributes()).containsEntry("job.attempt", "1");
            assertThat(request.attributes()).containsEntry("http.response.status_code", "201");
            assertThat(otlp.spans()).as("one trace for the sign-up: no other trace holds its job")
                    .filteredOn(s -> s.name().startsWith("job ")).extracting(OtlpReceiver.ReceivedSpan::traceId).containsOnly(traceId);

            // The log lines of this sign-up, in both processes, carry the trace id.
            String registeredLine = line(web, "registered user=");
            Matcher jobId = Pattern.compile("confirmation_job=([0-9a-f-]{36})").matcher(registeredLine);
            assertThat(jobId.find()).as(registeredLine).isTrue();
            assertThat(job.attributes()).containsEntry("messaging.message.id", jobId.group(1));
            assertThat(registeredLine).contains("\"trace_id\":\"" + traceId + "\"");
            assertThat(line(worker, "confirmation email job=" + jobId.group(1))).contains("\"trace_id\":\"" + traceId + "\"")
                    .contains("\"span_id\":\"" + job.spanId() + "\"");
        }
    }

    /** multipart/form-data as the seed's Quasar app sends a post with its image. */
    private static HttpRequest.BodyPublisher postWithImage(String boundary, byte[] png) {
        java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\ntraced\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        form.writeBytes(png);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HttpRequest.BodyPublishers.ofByteArray(form.toByteArray());
    }

    @Test
    void aPostsImageIsOneTraceThroughWebsUploadAndTheWorkersS3Calls() throws Exception {
        try (MotoServer moto = MotoServer.start()) {
            String bucket = "trace-media";
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(moto.endpoint() + "/" + bucket))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            Map<String, String> env = env();
            env.putAll(moto.awsEnvironment());
            env.put("MEDIA_STORAGE", "s3");
            env.put("MEDIA_BUCKET", bucket);
            env.put("QUARKUS_S3_PATH_STYLE_ACCESS", "true");
            env.put("WEB_ANONYMOUS_POSTS", "true");
            try (PackagedService web = PackagedService.start(WEB_JAR, env);
                 PackagedService worker = PackagedService.start(env)) {
                awaitReady(web);
                awaitReady(worker);
                String boundary = "----form" + UUID.randomUUID();
                HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/api/posts/"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(postWithImage(boundary, dev.stepbystep.testing.TestImages.png(64, 48))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(post.statusCode()).as(post.body()).isEqualTo(201);

                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> assertThat(span("web-service", "POST /api/posts", null)).as("spans: %s", otlp.spans()).isPresent());
                String traceId = span("web-service", "POST /api/posts", null).orElseThrow().traceId();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    assertThat(span("worker-service", "job media.process_image", traceId)).as("spans: %s", otlp.spans()).isPresent();
                    assertThat(otlp.spans()).as("the worker's S3 calls").filteredOn(s -> s.service().equals("worker-service")
                            && s.traceId().equals(traceId) && s.name().startsWith("S3.")).extracting(OtlpReceiver.ReceivedSpan::name)
                            .contains("S3.GetObject", "S3.PutObject");
                });
                OtlpReceiver.ReceivedSpan job = span("worker-service", "job media.process_image", traceId).orElseThrow();
                assertThat(otlp.spans()).filteredOn(s -> s.service().equals("worker-service") && s.name().startsWith("S3."))
                        .as("each S3 call of the job is its child").allSatisfy(s -> assertThat(s.parentSpanId()).isEqualTo(job.spanId()));
                assertThat(otlp.spans()).as("web's upload is a span of the request's trace")
                        .anySatisfy(s -> assertThat(s.service() + " " + s.name() + " " + s.traceId())
                                .isEqualTo("web-service S3.PutObject " + traceId));
            }
        }
    }
}
