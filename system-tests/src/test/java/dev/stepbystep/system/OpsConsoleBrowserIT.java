package dev.stepbystep.system;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.LuaSource;
import dev.stepbystep.jobs.client.PreparedJob;
import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.testing.RedisKeys;
import dev.stepbystep.testing.RespClient;
import dev.stepbystep.testing.ServiceEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations console in real Chromium (Debian's chromium, driven through chromium-driver),
 * against the packaged web, worker and beat: a staff member logs in on the form, watches a queue's
 * depth rise as jobs are enqueued and fall as the worker drains them, sees the worker, retries a
 * dead job from its page and sees it succeed, cancels a delayed job whose payload is redacted, and
 * sees beat's schedules; a user who is not staff gets the 403 page. Each page's screenshot is
 * written to {@code target/screenshots/}.
 */
class OpsConsoleBrowserIT {

    private static final Path WEB_JAR = Path.of("../web-service/target/quarkus-app/quarkus-run.jar");
    private static final Path WORKER_JAR = Path.of("../worker-service/target/quarkus-app/quarkus-run.jar");
    private static final Path BEAT_JAR = Path.of("../beat-service/target/quarkus-app/quarkus-run.jar");
    private static final Path SHOTS = Path.of("target/screenshots");
    private static final String PASSWORD = "console test password";

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final String prefix = "ops-" + UUID.randomUUID().toString().substring(0, 8);
    private final KeySchema keys = new KeySchema(prefix);
    private final List<PackagedService> processes = new ArrayList<>();
    private GreenMail smtp;
    private RespClient redis;
    private WebDriver browser;

    @BeforeEach
    void start() {
        ServerSetup setup = new ServerSetup(PackagedService.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        setup.setServerStartupTimeout(30_000);
        smtp = new GreenMail(setup);
        smtp.start();
        redis = RespClient.connect(services);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        processes.forEach(PackagedService::close);
        redis.close();
        smtp.stop();
        RedisKeys.deleteAll(services, prefix + ":*");
        try (var c = DriverManager.getConnection(services.jdbcUrl(), services.username(), services.password());
             var users = c.prepareStatement("delete from app_user where email like ?")) {
            users.setString(1, prefix + "-%@example.com");
            users.executeUpdate();
        }
    }

    private Map<String, String> env() {
        return ServiceEnvironment.of(services, prefix, smtp.getSmtp().getPort());
    }

    private PackagedService launch(Path jar, Map<String, String> env, String... args) {
        PackagedService service = PackagedService.start(jar, env, args);
        processes.add(service);
        return service;
    }

    private static void awaitReady(PackagedService service) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .failFast(() -> !service.process().isAlive())
                    .until(() -> service.status("/q/health/ready") == 200);
        } catch (RuntimeException e) {
            throw new AssertionError("not ready:\n" + service.outputText(), e);
        }
    }

    /** A staff account made as operators make one (the createsuperuser command), and a plain user beside it. */
    private void createAccounts(Map<String, String> env, String staff, String plain) throws Exception {
        Map<String, String> command = new HashMap<>(env);
        command.put("SUPERUSER_PASSWORD", PASSWORD);
        PackagedService create = launch(WEB_JAR, command, "createsuperuser", "--email", staff);
        assertThat(create.awaitExit(Duration.ofSeconds(90))).as(create.outputText()).isZero();
        try (var c = DriverManager.getConnection(services.jdbcUrl(), services.username(), services.password());
             var copy = c.prepareStatement("insert into app_user (email, password, is_active) select ?, password, true from app_user where email = ?")) {
            copy.setString(1, plain);
            copy.setString(2, staff);
            assertThat(copy.executeUpdate()).isEqualTo(1);
        }
    }

    /** Enqueues as web does: one run of enqueue.lua. */
    private String enqueue(String task, String payload, int maxRetries, Duration delay) {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        PreparedJob job = new PreparedJob(id, task, "default", payload, maxRetries, 60_000, now, now + delay.toMillis(), null, "", false);
        List<String> command = new ArrayList<>(List.of("EVAL", LuaSource.resolve("jobs/enqueue.lua"), "6"));
        command.addAll(job.keys(keys));
        command.addAll(job.args(3600));
        assertThat(redis.pipeline(List.of(command)).get(0)).isNotInstanceOf(RespClient.RedisError.class);
        return id;
    }

    private String state(String jobId) {
        return (String) redis.call("HGET", keys.job(jobId), "state");
    }

    private WebDriver chromium() {
        Path binary = Files.isExecutable(Path.of("/usr/lib/chromium/chromium")) ? Path.of("/usr/lib/chromium/chromium") : Path.of("/usr/bin/chromium");
        Path driver = Path.of("/usr/bin/chromedriver");
        assertThat(Files.isExecutable(binary) && Files.isExecutable(driver))
                .as("Debian's chromium and chromium-driver are needed (apt-get install chromium chromium-driver; see docs/development.md)")
                .isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** A wait that reads again when the overview's script redrew the table under a read (a stale element). */
    private org.openqa.selenium.support.ui.FluentWait<WebDriver> waiting(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    private String text(String css) {
        var found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private long depth() {
        String depth = text("tr[data-queue='default'] td.depth");
        return depth.isEmpty() ? -1 : Long.parseLong(depth);
    }

    private void logIn(String base, String email) {
        browser.get(base + "/ops/");
        waiting(15).until(d -> d.getCurrentUrl().contains("/ops/login"));
        browser.findElement(By.name("email")).sendKeys(email);
        browser.findElement(By.name("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("form[action='/ops/login'] button")).click();
    }

    @Test
    void staffWatchAndActOnTheQueuesAndOthersAreTurnedAway() throws Exception {
        Map<String, String> env = env();
        String staff = prefix + "-staff@example.com";
        String plain = prefix + "-plain@example.com";
        PackagedService web = launch(WEB_JAR, env);
        PackagedService beat = launch(BEAT_JAR, env);
        browser = chromium();
        awaitReady(web); // migrated the database
        createAccounts(env, staff, plain);
        awaitReady(beat);
        String base = "http://127.0.0.1:" + web.port();

        // Log in on the form; the overview follows.
        logIn(base, staff);
        waiting(15).until(d -> d.getCurrentUrl().endsWith("/ops/") && !text("#updated").isEmpty());

        // Depth rises as jobs are enqueued (no worker runs yet) ...
        for (int i = 0; i < 40; i++) {
            enqueue("core.debug_task", "{\"sleepMs\":100,\"failUntilAttempt\":0}", 3, Duration.ZERO);
        }
        waiting(20).until(d -> depth() >= 40);
        screenshot("overview-backlog");

        // ... and falls to nothing as a worker drains them.
        PackagedService worker = launch(WORKER_JAR, env);
        awaitReady(worker);
        waiting(60).until(d -> depth() == 0);
        screenshot("overview");

        browser.get(base + "/ops/workers");
        waiting(15).until(d -> text("table[data-testid='workers'] tbody").contains("default"));
        screenshot("workers");

        // A job that fails until a moment has passed, with no retries: dead at once ...
        Instant outageEnds = Instant.now().plusSeconds(3);
        String dead = enqueue("core.debug_task", "{\"sleepMs\":0,\"failUntilAttempt\":0,\"failUntil\":\"" + outageEnds + "\"}", 0, Duration.ZERO);
        await().atMost(Duration.ofSeconds(30)).until(() -> "dead".equals(state(dead)));
        browser.get(base + "/ops/dead?queue=default");
        waiting(10).until(d -> text("table[data-testid='dead']").contains(dead));
        screenshot("dead-letters");
        browser.findElement(By.linkText(dead)).click();
        waiting(10).until(d -> text("[data-testid='state']").equals("dead"));
        assertThat(text("[data-testid='timeline']")).contains("run 1 failed, no retries left");
        // ... retried from its page once the outage is over, it succeeds.
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(outageEnds.plusMillis(200)));
        browser.findElement(By.cssSelector("[data-testid='retry']")).click();
        waiting(10).until(d -> text(".notice").contains("back on its queue"));
        waiting(30).until(d -> {
            d.navigate().refresh();
            return text("[data-testid='state']").equals("succeeded");
        });
        assertThat(text("[data-testid='timeline']")).contains("put back from the dead letters").contains("run 2 succeeded");
        screenshot("job-retried");

        // A delayed job: its sensitive payload fields are redacted, and it can be cancelled.
        String delayed = enqueue("core.send_email_debug_task", "{\"subject\":\"salary review\",\"message\":\"the numbers\"}", 5, Duration.ofMinutes(10));
        browser.get(base + "/ops/jobs/" + delayed);
        waiting(10).until(d -> text("[data-testid='state']").equals("queued"));
        assertThat(text("[data-testid='payload']")).contains("[redacted]").doesNotContain("salary").doesNotContain("the numbers");
        browser.findElement(By.cssSelector("[data-testid='cancel']")).click();
        waiting(10).until(d -> text("[data-testid='state']").equals("cancelled"));
        assertThat(state(delayed)).isEqualTo("cancelled");
        screenshot("job-cancelled");

        browser.get(base + "/ops/schedules");
        waiting(10).until(d -> text("table[data-testid='schedules']").contains("celery-beat-debug-task"));
        screenshot("schedules");

        // Someone who is not staff: logged in, and still turned away.
        browser.findElement(By.cssSelector("form[action='/ops/logout'] button")).click();
        waiting(10).until(d -> d.getCurrentUrl().contains("/ops/login"));
        logIn(base, plain);
        waiting(10).until(d -> text("h1").contains("403"));
        screenshot("forbidden");
    }
}
