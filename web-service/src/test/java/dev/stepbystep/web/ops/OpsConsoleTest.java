package dev.stepbystep.web.ops;

import dev.stepbystep.jobs.broker.WorkerBroker;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import dev.stepbystep.shared.tasks.payloads.EmailAdmins;
import dev.stepbystep.web.api.DeadJobs;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The operations console over HTTP: who gets in (staff), who is sent to the form (anonymous) or
 * refused (users), the cross-site checks on its forms, and what each action changes. The browser
 * test with real Chromium is system-tests' OpsConsoleBrowserIT.
 */
@QuarkusTest
class OpsConsoleTest {

    @Inject
    JobQueue jobs;

    @Inject
    WorkerBroker broker;

    @TestHTTPResource("/")
    URL root;

    private final TestUsers users = new TestUsers();

    @AfterEach
    void cleanUp() {
        users.close();
    }

    private String origin() {
        return "http://" + root.getHost() + ":" + root.getPort();
    }

    private RequestSpecification as(TestUsers.TestUser user) {
        return given().redirects().follow(false).cookie("access", user.access());
    }

    @Test
    void anonymousVisitorsAreSentToTheFormAndUsersWhoAreNotStaffAreRefused() {
        given().redirects().follow(false).get("/ops/dead?queue=default").then().statusCode(303)
                .header("Location", endsWith("/ops/login?next=%2Fops%2Fdead%3Fqueue%3Ddefault"));
        given().redirects().follow(false).get("/ops/overview.json").then().statusCode(303);
        given().get("/ops/login").then().statusCode(200).contentType(containsString("text/html"))
                .header("X-Frame-Options", "DENY").header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body(containsString("name=\"password\""));

        var user = users.user("ops-plain");
        as(user).get("/ops/").then().statusCode(403).contentType(containsString("text/html")).body(containsString("staff only"));
        as(user).get("/ops/overview.json").then().statusCode(403);
    }

    @Test
    void staffSeeEveryPage() {
        var staff = users.staff("ops-staff");
        for (String page : List.of("/ops/", "/ops/workers", "/ops/dead", "/ops/dead?queue=default&task=core.debug_task&error=boom",
                "/ops/schedules", "/ops/dead/purge?queue=default")) {
            as(staff).get(page).then().statusCode(200).contentType(containsString("text/html")).header("Cache-Control", "no-store");
        }
        as(staff).get("/ops/overview.json").then().statusCode(200).body("queues", notNullValue()).body("generated_at", notNullValue());
        as(staff).get("/ops").then().statusCode(200).body(containsString("Queues"));
    }

    @Test
    void badInputGetsAnAnswerNotAnError() {
        var staff = users.staff("ops-input");
        as(staff).get("/ops/jobs/not-a-job").then().statusCode(404).body(containsString("No job"));
        as(staff).get("/ops/jobs/" + UUID.randomUUID()).then().statusCode(404);
        as(staff).get("/ops/jobs/?id=%20abc").then().statusCode(303).header("Location", endsWith("/ops/?problem=bad-id"));
        as(staff).get("/ops/?problem=bad-id").then().statusCode(200).body(containsString("A job id is a UUID"));
        as(staff).get("/ops/dead?queue=bad%20queue&offset=-5").then().statusCode(400).body(containsString("Queue names are"));
        as(staff).get("/ops/dead?offset=x").then().statusCode(200);
        as(staff).get("/ops/dead/purge?queue=bad%20queue").then().statusCode(303);
        as(staff).header("Origin", origin()).formParam("queue", "bad queue").post("/ops/dead/retry").then().statusCode(303)
                .header("Location", endsWith("problem=bad-queue"));
        as(staff).header("Origin", origin()).post("/ops/jobs/not-a-job/cancel").then().statusCode(303)
                .header("Location", endsWith("problem=bad-id"));
        as(staff).get("/ops/?problem=%3Cscript%3E").then().statusCode(200).body(not(containsString("<script>")));
    }

    @Test
    void theLoginFormSetsTheCookiesAndSendsTheBrowserBackOnlyToTheConsole() {
        var staff = users.staff("ops-login");
        var login = given().redirects().follow(false).header("Origin", origin())
                .formParam("email", staff.email()).formParam("password", TestUsers.PASSWORD).formParam("next", "/ops/workers")
                .post("/ops/login").then().statusCode(303).header("Location", endsWith("/ops/workers")).extract();
        assertThat(login.cookie("access")).isNotBlank();
        assertThat(login.cookie("refresh_token")).isNotBlank();
        given().redirects().follow(false).cookie("access", login.cookie("access")).get("/ops/workers").then().statusCode(200);

        given().redirects().follow(false).header("Origin", origin())
                .formParam("email", staff.email()).formParam("password", TestUsers.PASSWORD).formParam("next", "https://evil.example/ops/")
                .post("/ops/login").then().statusCode(303).header("Location", endsWith("/ops/"));
        given().header("Origin", origin()).formParam("email", staff.email()).formParam("password", "wrong password")
                .post("/ops/login").then().statusCode(401).body(containsString("Email or password is wrong"));
        given().header("Origin", origin()).formParam("email", "").post("/ops/login").then().statusCode(400);
        // Login CSRF: another site must not log a browser in.
        given().header("Origin", "https://evil.example").formParam("email", staff.email()).formParam("password", TestUsers.PASSWORD)
                .post("/ops/login").then().statusCode(403);
    }

    @Test
    void aRefreshCookieStandsInForAnExpiredAccessCookie() {
        var staff = users.staff("ops-refresh");
        var page = given().redirects().follow(false).cookie("access", "expired.or.gone").cookie("refresh_token", staff.refresh())
                .get("/ops/").then().statusCode(200).extract();
        assertThat(page.cookie("access")).isNotBlank();
        given().redirects().follow(false).cookie("refresh_token", "not-a-token").get("/ops/").then().statusCode(303);
    }

    @Test
    void actionsComeFromTheConsolesOwnOriginOnly() {
        var staff = users.staff("ops-csrf");
        String id = jobs.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().countdown(Duration.ofMinutes(10))).jobId();

        as(staff).post("/ops/jobs/" + id + "/cancel").then().statusCode(403).contentType("application/problem+json");
        as(staff).header("Origin", "https://app.example.com").post("/ops/jobs/" + id + "/cancel").then().statusCode(403);
        as(staff).header("Origin", "null").header("Referer", "https://evil.example/x").post("/ops/jobs/" + id + "/cancel").then().statusCode(403);
        assertThat(jobs.status(id).orElseThrow().state().wire()).isEqualTo("queued");

        as(staff).header("Origin", origin()).post("/ops/jobs/" + id + "/cancel").then().statusCode(303)
                .header("Location", endsWith("/ops/jobs/" + id + "?notice=cancelled"));
        assertThat(jobs.status(id).orElseThrow().state().wire()).isEqualTo("cancelled");
        as(staff).header("Origin", origin()).post("/ops/jobs/" + id + "/cancel").then().statusCode(303)
                .header("Location", endsWith("problem=too-late"));
        as(staff).get("/ops/jobs/" + id + "?notice=cancelled").then().statusCode(200)
                .body(containsString("no worker will run it")).body(not(containsString("data-testid=\"cancel\"")));

        var user = users.user("ops-csrf-user");
        String other = jobs.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().countdown(Duration.ofMinutes(10))).jobId();
        as(user).header("Origin", origin()).post("/ops/jobs/" + other + "/cancel").then().statusCode(403);
        assertThat(jobs.status(other).orElseThrow().state().wire()).isEqualTo("queued");
    }

    @Test
    void aJobsPageRedactsSensitivePayloadFieldsAndRetriesOnlyDeadJobs() {
        var staff = users.staff("ops-job");
        String delayed = jobs.enqueue(Tasks.SEND_EMAIL_DEBUG, new EmailAdmins("salary review", "the numbers"),
                EnqueueOptions.defaults().countdown(Duration.ofMinutes(10))).jobId();
        as(staff).get("/ops/jobs/" + delayed).then().statusCode(200).body(containsString("[redacted]"))
                .body(not(containsString("salary"))).body(not(containsString("the numbers"))).body(containsString("data-testid=\"cancel\""));
        as(staff).header("Origin", origin()).post("/ops/jobs/" + delayed + "/retry").then().statusCode(303)
                .header("Location", endsWith("problem=not-dead"));

        String queue = "ops-dead-" + UUID.randomUUID().toString().substring(0, 6);
        String dead = killedJob(queue);
        as(staff).get("/ops/jobs/" + dead).then().statusCode(200).body(containsString("run 1 failed, no retries left"))
                .body(containsString("data-testid=\"retry\""));
        as(staff).get("/ops/dead?queue=" + queue + "&error=BOO").then().statusCode(200).body(containsString(dead));
        as(staff).get("/ops/dead?queue=" + queue + "&error=other").then().statusCode(200).body(not(containsString(dead)));
        as(staff).header("Origin", origin()).formParam("back", "dead").post("/ops/jobs/" + dead + "/retry").then().statusCode(303)
                .header("Location", endsWith("/ops/dead?queue=" + queue + "&notice=retried"));
        assertThat(jobs.status(dead).orElseThrow().state().wire()).isEqualTo("queued");
    }

    @Test
    void purgeNeedsTheQueuesNameTyped() {
        var staff = users.staff("ops-purge");
        String queue = "ops-purge-" + UUID.randomUUID().toString().substring(0, 6);
        String dead = killedJob(queue);
        as(staff).get("/ops/dead/purge?queue=" + queue).then().statusCode(200).body(containsString("Type the queue"));
        as(staff).header("Origin", origin()).formParam("queue", queue).formParam("confirm", "default").post("/ops/dead/purge")
                .then().statusCode(303).header("Location", endsWith("problem=confirm"));
        assertThat(jobs.stats(queue).dead()).isEqualTo(1);
        as(staff).header("Origin", origin()).formParam("queue", queue).formParam("confirm", queue).post("/ops/dead/purge")
                .then().statusCode(303).header("Location", endsWith("notice=purged"));
        assertThat(jobs.stats(queue).dead()).isZero();
        assertThat(jobs.status(dead)).isEmpty();
        as(staff).get("/ops/dead?queue=" + queue + "&notice=purged").then().statusCode(200).body(containsString("dead letters are deleted"))
                .body(containsString("0 dead in this queue"));
    }

    private String killedJob(String queue) {
        String id = DeadJobs.killedJob(jobs, broker, queue, "boom: a dead job");
        assertThat(jobs.status(id).orElseThrow().state().wire()).isEqualTo("dead");
        return id;
    }
}
