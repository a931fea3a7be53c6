package dev.stepbystep.web.health;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class HealthEndpointsTest {

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
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItems("Database connections health check", "Redis connection health check"));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().get("/q/metrics")
                .then().statusCode(200).body(containsString("jvm_threads_live_threads"));
    }
}
