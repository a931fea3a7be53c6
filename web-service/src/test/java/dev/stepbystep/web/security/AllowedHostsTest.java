package dev.stepbystep.web.security;

import dev.stepbystep.web.api.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Links follow only hosts web serves: any other Host, X-Forwarded-Host or Forwarded host is a 400. */
@QuarkusTest
class AllowedHostsTest {

    private final TestUsers users = new TestUsers();

    @AfterEach
    void cleanUp() {
        users.close();
    }

    @Test
    void aForeignHostIsRefusedWhereverTheRequestNamesIt() {
        given().header("Host", "evil.example").get("/api/posts/").then().statusCode(400).contentType("application/problem+json");
        given().header("X-Forwarded-Host", "evil.example").get("/api/posts/").then().statusCode(400);
        given().header("X-Forwarded-Host", "localhost, evil.example").get("/api/posts/").then().statusCode(400);
        given().header("Forwarded", "for=192.0.2.1;host=evil.example;proto=https").get("/api/posts/").then().statusCode(400);
        given().header("Host", "localhost.evil.example").get("/api/posts/").then().statusCode(400);
    }

    @Test
    void pageLinksPointAtAnAllowedHost() {
        TestUsers.TestUser author = users.user("linker");
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"link " + i + "\"}")
                    .post("/api/posts/").then().statusCode(201);
        }
        String next = given().get("/api/posts/?limit=1").then().statusCode(200).extract().path("next");
        assertThat(next).startsWith("http://localhost:");
    }

    @Test
    void loadBalancerHealthChecksByIpAddressAreAnswered() {
        given().header("Host", "10.0.12.34:8000").get("/api/health-check/").then().statusCode(200);
    }
}
