package dev.stepbystep.worker;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class WorkerHealthTest {

    @Test
    void readinessChecksDatabaseAndRedis() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Redis connection health check"));
    }

    @Test
    void servesNoApi() {
        given().get("/api/health-check/").then().statusCode(404);
    }
}
