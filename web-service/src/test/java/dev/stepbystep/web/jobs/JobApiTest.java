package dev.stepbystep.web.jobs;

import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.broker.Delivery;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.broker.Outcome;
import dev.stepbystep.jobs.broker.StartedJob;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.jobs.broker.WorkerBroker;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** Job status and dead-letter endpoints; no worker runs here, so the test plays the worker's part. */
@QuarkusTest
class JobApiTest {

    @Inject
    JobQueue jobs;

    @Inject
    WorkerBroker broker;

    private final TestUsers users = new TestUsers();

    @AfterEach
    void cleanUp() {
        users.close();
    }

    @Test
    void ownersAndStaffSeeAJobOthersDoNot() {
        var owner = users.user("owner");
        var other = users.user("other");
        var staff = users.staff("staff");
        String id = jobs.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().owner(owner.id())).jobId();

        given().auth().oauth2(owner.access()).get("/api/jobs/" + id + "/").then().statusCode(200)
                .body("id", equalTo(id)).body("task", equalTo("core.debug_task")).body("state", equalTo("queued"))
                .body("attempts", equalTo(0)).body("enqueued_at", notNullValue());
        given().auth().oauth2(staff.access()).get("/api/jobs/" + id + "/").then().statusCode(200);
        given().auth().oauth2(other.access()).get("/api/jobs/" + id + "/").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/jobs/" + id + "/").then().statusCode(401);
        given().auth().oauth2(owner.access()).get("/api/jobs/" + UUID.randomUUID() + "/").then().statusCode(404);
        given().auth().oauth2(owner.access()).get("/api/jobs/../../etc/").then().statusCode(404);
    }

    @Test
    void staffListRetryAndPurgeDeadJobs() {
        var staff = users.staff("dlq");
        var user = users.user("plain");
        String queue = "web-dlq-" + UUID.randomUUID().toString().substring(0, 6);
        String first = killedJob(queue);
        String second = killedJob(queue);

        given().auth().oauth2(user.access()).get("/api/jobs/dead/?queue=" + queue).then().statusCode(403);
        given().auth().oauth2(staff.access()).get("/api/jobs/dead/?queue=" + queue).then().statusCode(200)
                .body("count", equalTo(2)).body("results.id", hasItem(first)).body("results[0].state", equalTo("dead"))
                .body("results[0].error", equalTo("boom"));
        given().auth().oauth2(staff.access()).get("/api/jobs/dead/?queue=bad%20queue").then().statusCode(400);

        given().auth().oauth2(staff.access()).post("/api/jobs/dead/" + first + "/retry/").then().statusCode(200).body("retried", equalTo(1));
        given().auth().oauth2(staff.access()).post("/api/jobs/dead/" + first + "/retry/").then().statusCode(404);
        assertThat(jobs.status(first).orElseThrow().state().wire()).isEqualTo("queued");

        given().auth().oauth2(staff.access()).delete("/api/jobs/dead/?queue=" + queue).then().statusCode(200).body("purged", equalTo(1));
        assertThat(jobs.status(second)).isEmpty();
        String other = queue + "-2";
        killedJob(other);
        killedJob(other);
        given().auth().oauth2(staff.access()).post("/api/jobs/dead/retry/?queue=" + other).then().statusCode(200).body("retried", equalTo(2));
    }

    @Inject
    dev.stepbystep.jobs.client.WorkerRegistry registry;

    @Inject
    dev.stepbystep.jobs.client.QueueHistory history;

    @Test
    void staffSeeEachQueuesBacklogAndLastHour() {
        var staff = users.staff("overview");
        var user = users.user("plain-overview");
        String queue = "web-overview-" + UUID.randomUUID().toString().substring(0, 6);
        jobs.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue(queue));
        var tally = new dev.stepbystep.jobs.client.QueueHistory.Tally(); // as a worker counts
        long minute = dev.stepbystep.jobs.client.QueueHistory.minuteOf(System.currentTimeMillis());
        tally.record(queue, minute, true, 3);
        tally.record(queue, minute, true, 3);
        tally.record(queue, minute, false, 700);
        history.flush(tally);

        given().auth().oauth2(user.access()).get("/api/queues/").then().statusCode(403);
        var q = "find { it.queue == '" + queue + "' }";
        given().auth().oauth2(staff.access()).get("/api/queues/").then().statusCode(200)
                .body(q + ".depth", equalTo(1)).body(q + ".in_flight", equalTo(0)).body(q + ".dead", equalTo(0))
                .body(q + ".oldest_waiting_ms", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
                .body(q + ".minutes.size()", equalTo(60))
                .body(q + ".minutes.sum { it.done }", equalTo(2)).body(q + ".minutes.sum { it.failed }", equalTo(1))
                .body(q + ".minutes.find { it.done > 0 }.wait_p50_ms", equalTo(5))
                .body(q + ".minutes.find { it.done > 0 }.wait_p95_ms", equalTo(1000))
                .body(q + ".minutes[0].wait_p50_ms", org.hamcrest.Matchers.anyOf(equalTo(-1), equalTo(5)));
    }

    @Test
    void staffSeeTheLiveWorkers() {
        var staff = users.staff("watcher");
        var user = users.user("plain-watcher");
        String id = "web-test-worker-" + UUID.randomUUID().toString().substring(0, 6);
        java.time.Instant started = java.time.Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        registry.heartbeat(new dev.stepbystep.jobs.client.WorkerRegistry.WorkerInfo(id, "host-1", "v1.2.3", List.of("default", "mail"),
                8, 3, started, java.time.Instant.now()));
        try {
            given().auth().oauth2(user.access()).get("/api/workers/").then().statusCode(403);
            given().auth().oauth2(staff.access()).get("/api/workers/").then().statusCode(200)
                    .body("find { it.id == '" + id + "' }.host", equalTo("host-1"))
                    .body("find { it.id == '" + id + "' }.version", equalTo("v1.2.3"))
                    .body("find { it.id == '" + id + "' }.queues", equalTo(List.of("default", "mail")))
                    .body("find { it.id == '" + id + "' }.in_flight", equalTo(3))
                    .body("find { it.id == '" + id + "' }.started_at", equalTo(started.toString()));
        } finally {
            registry.leave(id);
        }
        given().auth().oauth2(staff.access()).get("/api/workers/").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.not(hasItem(id)));
    }

    @Test
    void staffCancelAJobNoWorkerHasTaken() {
        var staff = users.staff("canceller");
        var user = users.user("plain-canceller");
        String queue = "web-cancel-" + UUID.randomUUID().toString().substring(0, 6);
        String waiting = jobs.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue(queue)).jobId();
        String delayed = jobs.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue(queue)
                .countdown(Duration.ofHours(1))).jobId();

        given().auth().oauth2(user.access()).post("/api/jobs/" + waiting + "/cancel/").then().statusCode(403);
        given().post("/api/jobs/" + waiting + "/cancel/").then().statusCode(401);
        given().auth().oauth2(staff.access()).post("/api/jobs/" + waiting + "/cancel/").then().statusCode(200)
                .body("id", equalTo(waiting)).body("state", equalTo("cancelled"));
        given().auth().oauth2(staff.access()).post("/api/jobs/" + delayed + "/cancel/").then().statusCode(200)
                .body("state", equalTo("cancelled"));
        given().auth().oauth2(staff.access()).get("/api/jobs/" + delayed + "/").then().statusCode(200).body("state", equalTo("cancelled"));
        given().auth().oauth2(staff.access()).post("/api/jobs/" + waiting + "/cancel/").then().statusCode(409)
                .contentType("application/problem+json").body("detail", equalTo("the job is cancelled: only a job no worker has taken can be cancelled"));

        // Taken by a worker (read, running): too late.
        String taken = jobs.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue(queue)).jobId();
        try (var connection = broker.openReadConnection()) {
            List<Delivery> read = broker.read(connection, List.of(queue), "web-test", 10, Duration.ofMillis(100));
            assertThat(read).extracting(Delivery::jobId).containsExactly(taken);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        given().auth().oauth2(staff.access()).post("/api/jobs/" + taken + "/cancel/").then().statusCode(409)
                .body("detail", equalTo("the job is running: only a job no worker has taken can be cancelled"));
        given().auth().oauth2(staff.access()).post("/api/jobs/" + UUID.randomUUID() + "/cancel/").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(staff.access()).post("/api/jobs/nope/cancel/").then().statusCode(404);
    }

    @Test
    void staffCanEmailTheAdminsThroughAJob() {
        var staff = users.staff("mailer");
        var user = users.user("nosy");
        given().auth().oauth2(user.access()).post("/api/email-admins/").then().statusCode(403);
        String jobId = given().auth().oauth2(staff.access()).post("/api/email-admins/").then().statusCode(202)
                .extract().path("job_id");
        assertThat(jobs.status(jobId).orElseThrow().task()).isEqualTo("core.send_email_debug_task");
    }

    @Test
    void registrationAnswersWithItsConfirmationJob() {
        String email = users.uniqueEmail("signup");
        String jobId = given().contentType(ContentType.JSON).body("{\"email\":\"" + email + "\",\"password\":\"a long password\"}")
                .post("/api/register/").then().statusCode(201).extract().path("job_id");
        assertThat(jobs.status(jobId).orElseThrow().task()).isEqualTo("accounts.send_confirmation_email");
    }

    @Test
    void staffSeeBeatsSchedules() {
        var staff = users.staff("scheduler");
        var user = users.user("curious");
        String hash = new dev.stepbystep.jobs.KeySchema(config.prefix()).beatSchedules();
        redis.hash(String.class).hset(hash, "nightly", "{\"name\":\"nightly\",\"task\":\"core.debug_task\",\"next_fire_at\":\"2026-11-27T03:00:00Z\",\"last_fire_at\":null}");
        try {
            given().auth().oauth2(user.access()).get("/api/schedules/").then().statusCode(403);
            given().auth().oauth2(staff.access()).get("/api/schedules/").then().statusCode(200)
                    .body("name", hasItem("nightly")).body("find { it.name == 'nightly' }.next_fire_at", equalTo("2026-11-27T03:00:00Z"));
        } finally {
            redis.key().del(hash);
        }
    }

    @Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    @Inject
    dev.stepbystep.jobs.QueueConfig config;

    /** A job that ran out of retries, as a worker would leave it. */
    private String killedJob(String queue) {
        return dev.stepbystep.web.api.DeadJobs.killedJob(jobs, broker, queue, "boom");
    }
}
