package dev.stepbystep.web.health;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Health for the load balancer on the public port; probes and metrics on the management port only. */
@QuarkusTest
class HealthEndpointsTest {

    /** The management interface in tests (quarkus.management.test-port). */
    private static final String MANAGEMENT = "http://localhost:9001";
    private static final String ready = MANAGEMENT + "/q/health/ready";
    private static final String metrics = MANAGEMENT + "/q/metrics";

    @Test
    void healthCheckAnswersOkForTheLoadBalancer() {
        given().get("/api/health-check/")
                .then().statusCode(200).contentType("application/json").body("message", equalTo("OK"));
    }

    @Test
    void versionShowsTheSourceTag() {
        given().get("/api/version/")
                .then().statusCode(200).body("version", equalTo("-"));
    }

    @Test
    void readinessChecksDatabaseAndRedis() {
        given().get(ready)
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItems("Database connections health check", "Redis connection health check"));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().get(metrics)
                .then().statusCode(200).body(containsString("jvm_threads_live_threads"));
    }

    @Test
    void activationLinksAppearInNeitherMetricsNorTheRequestLog() {
        String token = "zz" + java.util.UUID.randomUUID().toString().substring(0, 8) + "-0123456789abcdef";
        given().post("/api/activate/MQ/" + token + "/").then().statusCode(400);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                        dev.stepbystep.shared.requestlog.RequestLog.count("path = ?1", "/api/activate/{uidb64}/{token}/")) > 0);
        org.assertj.core.api.Assertions.assertThat(io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                dev.stepbystep.shared.requestlog.RequestLog.count("fullPath like ?1 or path like ?1", "%" + token + "%"))).isZero();
        given().get(metrics).then().statusCode(200).body(org.hamcrest.Matchers.not(containsString(token)))
                .body(containsString("/api/activate/{uidb64}/{token}/"));
    }

    @Test
    void probesAndMetricsAreNotServedOnThePublicPort() {
        for (String path : new String[] {"/q/health", "/q/health/ready", "/q/health/live", "/q/metrics", "/api/%2e%2e/q/metrics",
                "/api/..%2fq/metrics", "/%2e%2e/q/health"}) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(org.hamcrest.Matchers.oneOf(400, 404));
        }
    }
}
