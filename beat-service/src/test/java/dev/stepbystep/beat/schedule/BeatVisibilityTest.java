package dev.stepbystep.beat.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.beat.metrics.QueueDepthPublisher;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.client.QueueStats;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** What beat shows operators: EMF lines, gauges, its schedule registry and its counters. */
@QuarkusTest
class BeatVisibilityTest {

    @Inject
    QueueDepthPublisher publisher;

    @Inject
    JobQueue queue;

    @Inject
    QueueConfig config;

    @Inject
    RedisDataSource redis;

    @Test
    void theEmfLineParsesAsJsonWithTheDocumentedShape() throws Exception {
        var line = publisher.emf(new QueueStats("default", 12, 3, 2, 1, 90_500), Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(line).doesNotContain("\n");
        var json = new ObjectMapper().readTree(line);
        assertThat(json.at("/_aws/Timestamp").asLong()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z").toEpochMilli());
        var directive = json.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo("QuarkusStepByStep");
        assertThat(directive.at("/Dimensions/0").toString()).isEqualTo("[\"Environment\",\"Queue\"]");
        assertThat(directive.get("Metrics").findValuesAsText("Name")).containsExactly("QueueDepth", "InFlight", "Delayed", "DeadLetters", "OldestJobAge");
        assertThat(directive.get("Metrics").get(4).get("Unit").asText()).isEqualTo("Seconds");
        assertThat(json.get("Queue").asText()).isEqualTo("default");
        assertThat(json.get("Environment").asText()).isEqualTo("default");
        assertThat(json.get("QueueDepth").asLong()).isEqualTo(12);
        assertThat(json.get("InFlight").asLong()).isEqualTo(3);
        assertThat(json.get("Delayed").asLong()).isEqualTo(2);
        assertThat(json.get("DeadLetters").asLong()).isEqualTo(1);
        assertThat(json.get("OldestJobAge").asDouble()).isEqualTo(90.5);
    }

    @Test
    void oneReplicaPublishesEachIntervalAndSetsTheGauges() {
        String q = "emf-" + UUID.randomUUID().toString().substring(0, 6);
        queue.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue(q));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        long slot = System.currentTimeMillis() + 3_600_000; // an interval nobody else claims
        assertThat(publisher.publishIfClaimed(slot, out)).isTrue();
        assertThat(publisher.publishIfClaimed(slot, out)).as("the interval is claimed once").isFalse();
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("\"Queue\":\"" + q + "\"").contains("\"QueueDepth\":1");
        given().get("/q/metrics").then().statusCode(200).body(containsString("queue_depth{queue=\"" + q + "\"} 1.0"));
    }

    @Test
    void theScheduleRegistryListsTheSchedulesWithTheirNextFire() {
        String entry = redis.hash(String.class).hget(new KeySchema(config.prefix()).beatSchedules(), "celery-beat-debug-task");
        assertThat(entry).contains("\"task\":\"core.celery_beat_debug_task\"").contains("\"next_fire_at\"").contains("every PT10S");
    }

}
