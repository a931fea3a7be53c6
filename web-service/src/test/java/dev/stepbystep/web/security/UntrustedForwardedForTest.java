package dev.stepbystep.web.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * With no trusted proxy in front (WEB_TRUSTED_PROXIES names none of this client's hops), the
 * X-Forwarded-For header is the client's own words: rotating it does not escape the
 * per-address login limit.
 */
@QuarkusTest
@TestProfile(UntrustedForwardedForTest.NoTrustedProxy.class)
class UntrustedForwardedForTest {

    public static class NoTrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("web.trusted-proxies", "192.0.2.250", "web.login.per-address", "5", "web.register.per-address", "3");
        }
    }

    @Test
    void aRotatingForwardedForHeaderDoesNotEscapeTheAddressLimit() {
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.18.0." + i)
                    .body(AccountTakeoverTest.credentials("rotating" + i + "@example.com", "whatever")).post("/api/token/")
                    .then().statusCode(org.hamcrest.Matchers.oneOf(401, 429)); // loopback's counter may hold other tests' logins
        }
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.18.0.99")
                .body(AccountTakeoverTest.credentials("rotating-last@example.com", "whatever")).post("/api/token/")
                .then().statusCode(429);
    }

    @Test
    void signUpsAreLimitedPerClientAddress() {
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.18.1." + i)
                    .body("{\"email\":\"flood" + i + "-" + java.util.UUID.randomUUID() + "@example.com\",\"password\":\"a long password\"}")
                    .post("/api/register/").then().statusCode(org.hamcrest.Matchers.oneOf(201, 429));
        }
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.18.1.99")
                .body("{\"email\":\"flood-last-" + java.util.UUID.randomUUID() + "@example.com\",\"password\":\"a long password\"}")
                .post("/api/register/").then().statusCode(429).contentType("application/problem+json");
    }

    @org.junit.jupiter.api.AfterEach
    void cleanUp() {
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() ->
                dev.stepbystep.shared.accounts.User.delete("email like ?1", "flood%@example.com"));
    }
}
