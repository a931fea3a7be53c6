package dev.stepbystep.web.security;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients racing on the same row get the answers a later request would get (400, 404, 204),
 * never a 500: parallel sign-ups of one address, a double-clicked delete, an edit or a like
 * while the post is being deleted, and an address that differs only in how Java and PostgreSQL
 * lower-case it.
 */
@QuarkusTest
class RacesTest {

    private final TestUsers users = new TestUsers();
    private final ExecutorService clients = Executors.newFixedThreadPool(10);

    @AfterEach
    void cleanUp() {
        clients.shutdownNow();
        users.close();
    }

    /** Runs every action at once (released together) and returns their status codes. */
    private List<Integer> race(List<IntSupplier> actions) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (IntSupplier action : actions) {
            Callable<Integer> task = () -> {
                go.await();
                return action.getAsInt();
            };
            answers.add(clients.submit(task));
        }
        go.countDown();
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> a : answers) {
            codes.add(a.get());
        }
        return codes;
    }

    private int register(String email) {
        return given().contentType(ContentType.JSON).body("{\"email\":\"" + email + "\",\"password\":\"a long password\"}")
                .post("/api/register/").statusCode();
    }

    private long post(TestUsers.TestUser author) {
        return given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"racing\"}")
                .post("/api/posts/").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void parallelSignupsOfOneAddressCreateOneAccountAndNever500() throws Exception {
        String email = users.uniqueEmail("twin");
        List<IntSupplier> signups = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            signups.add(() -> register(email));
        }
        List<Integer> codes = race(signups);
        // A sign-up that sees the pending account replaces it (201); one that lost the insert race is a 400.
        assertThat(codes).as("%s", codes).isSubsetOf(201, 400).contains(201);
        assertThat(QuarkusTransaction.requiringNew().call(() -> User.count("lower(email) = lower(?1)", email))).isEqualTo(1);
        QuarkusTransaction.requiringNew().run(() -> io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                .createNativeQuery("delete from job_outbox where owner_id in (select id from app_user where lower(email) = lower(?1))")
                .setParameter(1, email).executeUpdate());
    }

    @Test
    void anAddressThatOnlyJavaLowerCasesDifferentlyIsTheSameAccount() {
        String existing = users.user("sim").email(); // active: signing up again is refused
        // Java lower-cases "İ" to "i̇" (two characters), PostgreSQL's lower() to "i": one account.
        String dotted = "S\u0130M" + existing.substring(3);
        given().contentType(ContentType.JSON).body("{\"email\":\"" + dotted + "\",\"password\":\"a long password\"}")
                .post("/api/register/").then().statusCode(400).contentType("application/problem+json");
        assertThat(QuarkusTransaction.requiringNew().call(() -> User.count("lower(email) = lower(?1)", existing))).isEqualTo(1);
    }

    @Test
    void aDoubleClickedDeleteIs204Then404() throws Exception {
        TestUsers.TestUser author = users.user("clicker");
        for (int round = 0; round < 5; round++) {
            long id = post(author);
            List<Integer> codes = race(List.of(
                    () -> given().auth().oauth2(author.access()).delete("/api/posts/" + id + "/").statusCode(),
                    () -> given().auth().oauth2(author.access()).delete("/api/drf/fbv/posts/" + id + "/delete/").statusCode()));
            assertThat(codes).as("%s", codes).containsExactlyInAnyOrder(204, 404);
        }
    }

    @Test
    void editsAndLikesOfAPostBeingDeletedAre2xxOr404() throws Exception {
        TestUsers.TestUser author = users.user("editor");
        TestUsers.TestUser fan = users.user("fan");
        for (int round = 0; round < 5; round++) {
            long id = post(author);
            List<Integer> codes = race(List.of(
                    () -> given().auth().oauth2(author.access()).delete("/api/posts/" + id + "/").statusCode(),
                    () -> given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"edited\"}")
                            .put("/api/posts/" + id + "/").statusCode(),
                    () -> given().auth().oauth2(fan.access()).post("/api/posts/" + id + "/like/").statusCode(),
                    () -> given().auth().oauth2(fan.access()).post("/api/posts/" + id + "/like/").statusCode()));
            assertThat(codes).as("%s", codes).allMatch(c -> c == 200 || c == 204 || c == 404);
            assertThat(codes.get(0)).isEqualTo(204);
        }
    }
}
