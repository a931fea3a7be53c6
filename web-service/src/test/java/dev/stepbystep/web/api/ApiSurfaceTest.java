package dev.stepbystep.web.api;

import dev.stepbystep.shared.requestlog.RequestLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** What surrounds the endpoints: OpenAPI, Swagger UI, CORS and the request log. */
@QuarkusTest
class ApiSurfaceTest {

    @Test
    void openApiDescribesTheEndpointsAndSwaggerUiIsServed() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/posts/'", notNullValue())
                .body("paths.'/api/register/'", notNullValue())
                .body("paths.'/api/jobs/{id}/'", notNullValue())
                .body("paths.'/api/auth/jwt/token/refresh/'", notNullValue());
        given().get("/api/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void theFrontendMayCallWithCredentialsOthersMayNot() {
        given().header("Origin", "http://localhost").header("Access-Control-Request-Method", "POST")
                .options("/api/posts/").then()
                .header("Access-Control-Allow-Origin", equalTo("http://localhost"))
                .header("Access-Control-Allow-Credentials", equalTo("true"));
        String evil = given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/api/posts/").then().extract().header("Access-Control-Allow-Origin");
        assertThat(evil).isNotEqualTo("https://evil.example");
    }

    @Test
    void requestsAreLoggedOffTheRequestPathButHealthChecksAreNot() {
        String marker = UUID.randomUUID().toString();
        given().header("X-Forwarded-For", "10.9.8.7, 198.51.100.23").get("/api/posts/?search=" + marker).then().statusCode(200);
        given().get("/api/health-check/?probe=" + marker).then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                QuarkusTransaction.requiringNew().call(() -> RequestLog.count("fullPath like ?1", "%" + marker + "%")) > 0);
        RequestLog entry = QuarkusTransaction.requiringNew().call(() ->
                RequestLog.<RequestLog>find("fullPath like ?1", "%" + marker + "%").firstResult());
        assertThat(entry.path).isEqualTo("/api/posts/");
        assertThat(entry.method).isEqualTo("GET");
        assertThat(entry.statusCode).isEqualTo(200);
        assertThat(entry.remoteAddress).isEqualTo("198.51.100.23");
        assertThat(entry.executionTimeMs).isNotNegative();
        assertThat(QuarkusTransaction.requiringNew().call(() -> RequestLog.count("fullPath like ?1", "%probe=" + marker + "%"))).isZero();
        QuarkusTransaction.requiringNew().run(() -> RequestLog.delete("fullPath like ?1", "%" + marker + "%"));
    }
}
