package dev.stepbystep.web.security;

import dev.stepbystep.web.api.TestUsers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slowloris: more clients than the service has worker threads, each sending a request body a
 * byte at a time (or not at all), must cost connections, not threads: the load balancer's health
 * check, logins and the post list keep answering meanwhile, and the dropped bodies are neither
 * 500s nor errors.
 */
@QuarkusTest
@TestProfile(SlowClientsTest.ShortBodyTimeout.class)
class SlowClientsTest {

    /** A body timeout the test can wait for; the rounds below take far less when no thread is held. */
    public static class ShortBodyTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("web.body-timeout", "4S");
        }
    }

    /** More than the 200 worker threads Quarkus runs by default on a small machine. */
    private static final int SLOW_CLIENTS = 220;

    @TestHTTPResource("/")
    URL base;

    @Inject
    AgroalDataSource dataSource;

    private final TestUsers users = new TestUsers();
    private final List<Socket> slow = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        slow.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        });
        users.close();
    }

    private Socket startSlowBody(String path) throws IOException {
        return startSlowBody(path, null);
    }

    /** A request whose body stops after four bytes; with {@code token}, an authenticated one (so its body is read, not refused). */
    private Socket startSlowBody(String path, String token) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: application/json\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Length: 64\r\n\r\n{\"em").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void slowBodiesDoNotStarveHealthChecksLoginsOrLists() throws Exception {
        TestUsers.TestUser user = users.user("steady");
        Instant start = Instant.now();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            // Both kinds of body reading: a blocking endpoint's (login), whose body the guard reads
            // on the event loop, and the non-blocking create's, which Quarkus REST reads there itself.
            slow.add(i % 2 == 0 ? startSlowBody("/api/token/") : startSlowBody("/api/posts/", user.access()));
        }
        // Let the slow requests reach whatever would hold a thread for them.
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> true);

        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            given().get("/api/health-check/").then().statusCode(200);
            given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.77")
                    .body("{\"email\":\"" + user.email() + "\",\"password\":\"" + TestUsers.PASSWORD + "\"}")
                    .post("/api/token/").then().statusCode(200);
            given().get("/api/posts/").then().statusCode(200);
            given().auth().oauth2(user.access()).contentType(ContentType.JSON).body("{\"body\":\"steady " + round + "\"}")
                    .post("/api/posts/").then().statusCode(201);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("round %d answered promptly", round).isLessThan(Duration.ofSeconds(1));
        }

        slow.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // the client gives up
            }
        });
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
        try (var c = dataSource.getConnection();
             var s = c.prepareStatement("select count(*) from request_log where status_code >= 500 and date >= ?")) {
            s.setTimestamp(1, Timestamp.from(start));
            var r = s.executeQuery();
            r.next();
            assertThat(r.getLong(1)).as("dropped bodies are not server errors").isZero();
        }
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIs408AndTheConnectionIsClosed() throws Exception {
        expect408(startSlowBody("/api/token/"));
        expect408(startSlowBody("/api/posts/", users.user("trickler").access())); // a body read by Quarkus REST itself
    }

    private static void expect408(Socket slowBody) throws Exception {
        try (Socket socket = slowBody) {
            socket.setSoTimeout(15_000);
            long t0 = System.nanoTime();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(10));
            assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json").contains("did not arrive in time");
        }
    }
}
