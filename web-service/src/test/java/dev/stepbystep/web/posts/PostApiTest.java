package dev.stepbystep.web.posts;

import dev.stepbystep.shared.posts.Post;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class PostApiTest {

    private final TestUsers users = new TestUsers();
    private final String tag = "t" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void cleanUp() {
        users.close();
    }

    private long post(TestUsers.TestUser author, String body) {
        return given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"" + body + "\"}")
                .post("/api/posts/").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void createReturnsTheSeedsPostJson() {
        var author = users.user("author");
        given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"hello " + tag + "\"}")
                .post("/api/posts/").then().statusCode(201)
                .header("Location", containsString("/api/posts/"))
                .body("body", equalTo("hello " + tag))
                .body("created_by.id", equalTo((int) author.id()))
                .body("created_by.email", equalTo(author.email()))
                .body("liked", equalTo(false)).body("like_count", equalTo(0))
                .body("image", nullValue()).body("modified_on", notNullValue());
        given().contentType(ContentType.JSON).body("{\"body\":\"anonymous\"}").post("/api/posts/").then().statusCode(401);
    }

    /** WEB_ANONYMOUS_POSTS and WEB_DEBUG_ENDPOINTS are off by default (on: SeedOptionsTest). */
    @Test
    void anonymousPostsAndTheDebugEndpointAreOffByDefault() {
        given().multiPart("body", "anonymous " + tag).post("/api/drf/fbv/posts/new/").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"body\":\"anonymous " + tag + "\"}").post("/api/drf/fbv/posts/new/").then().statusCode(401);
        assertThat(QuarkusTransaction.requiringNew().call(() -> Post.count("body", "anonymous " + tag))).isZero();
        given().post("/api/exception/").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void multipartCreateAsTheQuasarAppSendsIt() {
        var author = users.user("quasar");
        given().auth().oauth2(author.access()).multiPart("body", "multipart " + tag).post("/api/drf/fbv/posts/new/")
                .then().statusCode(201).body("body", equalTo("multipart " + tag));
        given().auth().oauth2(author.access()).multiPart("body", "with image " + tag).multiPart("image", "cat.png", new byte[] {1, 2, 3}, "image/png")
                .post("/api/posts/").then().statusCode(400).contentType("application/problem+json");
        assertThat(QuarkusTransaction.requiringNew().call(() -> Post.count("body", "with image " + tag))).isZero();
        given().auth().oauth2(author.access()).multiPart("body", "x".repeat(201)).post("/api/posts/")
                .then().statusCode(400).body("errors.body", notNullValue());
    }

    @Test
    void listIsNewestFirstPaginatedAndSearchable() {
        var author = users.user("lister");
        for (int i = 1; i <= 3; i++) {
            post(author, tag + " number " + i);
        }
        given().get("/api/posts/?search=" + tag.toUpperCase() + "&limit=2").then().statusCode(200)
                .body("count", equalTo(3)).body("results", hasSize(2))
                .body("results[0].body", equalTo(tag + " number 3"))
                .body("next", startsWith("http://")).body("next", containsString("offset=2")).body("previous", nullValue());
        given().get("/api/posts/?search=" + tag + "&limit=2&offset=2").then().statusCode(200)
                .body("results", hasSize(1)).body("next", nullValue()).body("previous", containsString("limit=2"));
        given().get("/api/posts/?search=" + tag + "&offset=50").then().statusCode(200).body("results", hasSize(0)).body("count", equalTo(3));
        given().get("/api/posts/?limit=0").then().statusCode(400).contentType("application/problem+json").body("detail", containsString("limit"));
        given().get("/api/posts/?limit=abc").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/posts/?limit=101").then().statusCode(400);
        given().get("/api/posts/?offset=-1").then().statusCode(400);
        given().get("/api/posts/?search=100%25_" + tag).then().statusCode(200).body("count", equalTo(0));
        given().get("/api/drf/fbv/posts/?search=" + tag).then().statusCode(200).body("count", equalTo(3));
        given().get("/api/drf/cbv/posts/?search=" + tag).then().statusCode(200).body("count", equalTo(3));
    }

    @Test
    void onlyTheAuthorMayChangeOrDeleteOnEveryRoute() {
        var author = users.user("owner");
        var other = users.user("other");
        long id = post(author, "mine " + tag);
        String json = "{\"body\":\"hijacked\"}";
        for (String path : List.of("/api/posts/" + id + "/", "/api/drf/cbv/posts/" + id + "/")) {
            given().auth().oauth2(other.access()).contentType(ContentType.JSON).body(json).put(path).then().statusCode(403)
                    .contentType("application/problem+json");
            given().auth().oauth2(other.access()).contentType(ContentType.JSON).body(json).patch(path).then().statusCode(403);
            given().auth().oauth2(other.access()).delete(path).then().statusCode(403);
        }
        given().auth().oauth2(other.access()).contentType(ContentType.JSON).body(json).put("/api/drf/fbv/posts/" + id + "/update/").then().statusCode(403);
        given().auth().oauth2(other.access()).delete("/api/drf/fbv/posts/" + id + "/delete/").then().statusCode(403);
        given().auth().oauth2(other.access()).delete("/api/drf/fbv/posts/" + id + "/").then().statusCode(403);
        given().get("/api/posts/" + id + "/").then().statusCode(200).body("body", equalTo("mine " + tag));

        given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"edited " + tag + "\"}")
                .put("/api/drf/fbv/posts/" + id + "/update/").then().statusCode(200).body("body", equalTo("edited " + tag));
        given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"patched " + tag + "\"}")
                .patch("/api/posts/" + id + "/").then().statusCode(200).body("body", equalTo("patched " + tag));
        given().auth().oauth2(author.access()).delete("/api/drf/fbv/posts/" + id + "/").then().statusCode(204);
        given().get("/api/posts/" + id + "/").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(author.access()).delete("/api/posts/" + id + "/").then().statusCode(404);
        given().get("/api/posts/not-a-number/").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(author.access()).delete("/api/drf/fbv/posts/999999999/delete/").then().statusCode(404);
    }

    @Test
    void likeTogglesAndSurvivesConcurrentClicks() throws Exception {
        var author = users.user("liked");
        var fan = users.user("fan");
        long id = post(author, "like me " + tag);
        given().auth().oauth2(fan.access()).post("/api/posts/" + id + "/like/").then().statusCode(200)
                .body("liked", equalTo(true)).body("like_count", equalTo(1));
        given().auth().oauth2(author.access()).get("/api/posts/" + id + "/").then().body("liked", equalTo(false)).body("like_count", equalTo(1));
        given().auth().oauth2(fan.access()).post("/api/drf/fbv/posts/" + id + "/like/").then().statusCode(200)
                .body("liked", equalTo(false)).body("like_count", equalTo(0));

        var pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> clicks = java.util.stream.IntStream.range(0, 8).<Callable<Integer>>mapToObj(i ->
                    () -> given().auth().oauth2(fan.access()).post("/api/posts/" + id + "/like/").statusCode()).toList();
            for (var f : pool.invokeAll(clicks)) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        int count = given().get("/api/posts/" + id + "/").then().extract().path("like_count");
        assertThat(count).isBetween(0, 1);
        given().post("/api/posts/" + id + "/like/").then().statusCode(401);
    }

    @Test
    void cachedListsFollowEveryWriteAtOnce() {
        var author = users.user("cached");
        var fan = users.user("cachefan");
        String list = "/api/posts/?search=" + tag;
        long id = post(author, "cache " + tag);
        given().auth().oauth2(fan.access()).get(list).then().body("count", equalTo(1)).body("results[0].liked", equalTo(false));
        given().auth().oauth2(fan.access()).get(list).then().body("count", equalTo(1)); // now served from the cache

        post(author, "second " + tag);
        given().auth().oauth2(fan.access()).get(list).then().body("count", equalTo(2));

        given().auth().oauth2(fan.access()).post("/api/posts/" + id + "/like/").then().statusCode(200);
        given().auth().oauth2(fan.access()).get(list).then().body("results.find { it.id == " + id + " }.liked", equalTo(true))
                .body("results.find { it.id == " + id + " }.like_count", equalTo(1));
        given().get(list).then().body("results.find { it.id == " + id + " }.liked", equalTo(false));

        given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"edited cache " + tag + "\"}")
                .put("/api/posts/" + id + "/").then().statusCode(200);
        given().get(list).then().body("results[0].body", equalTo("edited cache " + tag));

        given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"first_name\":\"Renamed\"}")
                .patch("/api/update-user/").then().statusCode(200);
        given().get(list).then().body("results[0].created_by.first_name", equalTo("Renamed"));

        given().auth().oauth2(author.access()).delete("/api/posts/" + id + "/").then().statusCode(204);
        given().auth().oauth2(fan.access()).get(list).then().body("count", equalTo(1));
    }

    @Test
    void authorEmailIsShownOnlyToTheAuthorAndStaff() {
        var author = users.user("private");
        var reader = users.user("reader");
        var staff = users.staff("moderator");
        long id = post(author, "private " + tag);
        given().get("/api/posts/" + id + "/").then().body("created_by.email", nullValue()).body("created_by.id", equalTo((int) author.id()));
        given().auth().oauth2(reader.access()).get("/api/posts/" + id + "/").then().body("created_by.email", nullValue());
        given().auth().oauth2(author.access()).get("/api/posts/" + id + "/").then().body("created_by.email", equalTo(author.email()));
        given().auth().oauth2(staff.access()).get("/api/posts/" + id + "/").then().body("created_by.email", equalTo(author.email()));
    }

    @Test
    void badInputIsA4xxProblemNeverA500() {
        var u = users.user("bad");
        String problem = "application/problem+json";
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"body\": ").post("/api/posts/")
                .then().statusCode(400).contentType(problem);
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"body\": {\"nested\": 1}}").post("/api/posts/")
                .then().statusCode(400).contentType(problem).body("detail", containsString("body"));
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"body\":\"ok\",\"created_by\":1}").post("/api/posts/")
                .then().statusCode(400).contentType(problem).body("detail", containsString("created_by"));
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"body\":\"\"}").post("/api/posts/")
                .then().statusCode(400).contentType(problem).body("errors.body", notNullValue());
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"body\":\"" + "x".repeat(201) + "\"}").post("/api/posts/")
                .then().statusCode(400).body("errors.body", notNullValue());
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("null").post("/api/posts/")
                .then().statusCode(400).contentType(problem);
        given().auth().oauth2(u.access()).contentType(ContentType.TEXT).body("body=hi").post("/api/posts/")
                .then().statusCode(415).contentType(problem);
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"body\":\"" + "x".repeat(1_100_000) + "\"}").post("/api/posts/")
                .then().statusCode(413);
        given().auth().oauth2(u.access()).contentType("multipart/form-data; boundary=xx").body("no parts, no closing boundary".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .post("/api/posts/").then().statusCode(400).contentType(problem).body("detail", containsString("multipart"));
    }

    @Test
    void nullCharactersAreRefusedNotPassedToPostgres() {
        var u = users.user("nul");
        long id = post(u, "before " + tag);
        String problem = "application/problem+json";
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"body\":\"a\\u0000b " + tag + "\"}").post("/api/posts/")
                .then().statusCode(400).contentType(problem).body("errors.body", hasItem("null characters are not allowed"));
        given().auth().oauth2(u.access()).multiPart("body", "a\0b " + tag).post("/api/posts/")
                .then().statusCode(400).contentType(problem).body("errors.body", hasItem("null characters are not allowed"));
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"body\":\"\\u0000\"}").patch("/api/posts/" + id + "/")
                .then().statusCode(400).contentType(problem).body("errors.body", notNullValue());
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body("{\"body\":\"x\\u0000\"}").put("/api/drf/cbv/posts/" + id + "/")
                .then().statusCode(400).contentType(problem);
        given().urlEncodingEnabled(false).get("/api/posts/?search=a%00b").then().statusCode(400).contentType(problem)
                .body("detail", equalTo("search: null characters are not allowed"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> Post.count("body like ?1", "%" + tag))).isEqualTo(1);
        given().get("/api/posts/" + id + "/").then().statusCode(200).body("body", equalTo("before " + tag));
    }

    @Test
    void cookieAuthenticatedWritesMustComeFromTheFrontend() {
        var u = users.user("csrf");
        String body = "{\"body\":\"csrf " + tag + "\"}";
        given().cookie("access", u.access()).contentType(ContentType.JSON).body(body).post("/api/posts/")
                .then().statusCode(403).contentType("application/problem+json");
        given().cookie("access", u.access()).header("Origin", "https://evil.example").contentType(ContentType.JSON).body(body)
                .post("/api/posts/").then().statusCode(403);
        given().cookie("access", u.access()).header("Origin", "http://localhost").contentType(ContentType.JSON).body(body)
                .post("/api/posts/").then().statusCode(201);
        given().auth().oauth2(u.access()).contentType(ContentType.JSON).body(body).post("/api/posts/").then().statusCode(201);
    }
}
