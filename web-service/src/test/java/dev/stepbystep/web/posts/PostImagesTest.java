package dev.stepbystep.web.posts;

import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.shared.posts.Post;
import dev.stepbystep.testing.TestImages;
import dev.stepbystep.web.WebTestConfig;
import dev.stepbystep.web.api.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Post images with the filesystem store (MEDIA_STORAGE=filesystem, as bin/run-local and compose
 * run): the upload is checked by its content, stored, and served by web under a signed,
 * expiring /media/ URL; a refused upload stores nothing. Processing and deletion by the worker,
 * with S3, are MediaFlowTest's (worker-service).
 */
@QuarkusTest
class PostImagesTest {

    private final TestUsers users = new TestUsers();
    private final String tag = "img-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    JobQueue jobs;

    @AfterEach
    void cleanUp() {
        users.close();
    }

    private static List<Path> stored() throws IOException {
        if (!Files.exists(WebTestConfig.MEDIA_ROOT)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(WebTestConfig.MEDIA_ROOT)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void anUploadedImageIsServedUnderASignedUrl() {
        var author = users.user("painter");
        byte[] png = TestImages.png(120, 80);
        var created = given().auth().oauth2(author.access()).multiPart("body", tag).multiPart("image", "drawing.png", png, "image/png")
                .post("/api/posts/").then().statusCode(201)
                .body("image", startsWith("http://localhost:")).body("image", containsString("/media/posts/"))
                .body("image", containsString("/original.png?expires=")).extract().jsonPath();
        String url = created.getString("image");
        String path = URI.create(url).getRawPath() + "?" + URI.create(url).getRawQuery();

        byte[] served = given().log().ifValidationFails().get(path).then().log().ifValidationFails().statusCode(200).contentType("image/png")
                .header("X-Content-Type-Options", "nosniff").header("Cache-Control", startsWith("private, max-age="))
                .extract().asByteArray();
        assertThat(served).isEqualTo(png);
        // The same image through the detail and list routes, and the processing job is queued.
        given().get("/api/posts/" + created.getLong("id") + "/").then().statusCode(200).body("image", containsString("/original.png"));
        given().get("/api/posts/?search=" + tag).then().statusCode(200).body("results[0].image", containsString("/original.png"));
        String key = QuarkusTransaction.requiringNew().call(() -> Post.<Post>findById(created.getLong("id")).image);
        assertThat(WebTestConfig.MEDIA_ROOT.resolve(key)).exists();

        // Altered, stripped or foreign URLs serve nothing.
        given().get(path.replace("signature=", "signature=0")).then().statusCode(403).contentType("application/problem+json");
        given().get(URI.create(url).getRawPath()).then().statusCode(403);
        given().get(path.replaceAll("expires=\\d+", "expires=9999999999")).then().statusCode(403);
        given().get("/media/posts/../../etc/passwd").then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(403), equalTo(404)));
    }

    @Test
    void aJpegAGifAndAWebpAreTakenByTheirContentWhateverTheirName() {
        var author = users.user("mixer");
        given().auth().oauth2(author.access()).multiPart("body", tag + " jpeg").multiPart("image", "photo.png", TestImages.jpegWithGps(64, 48, 1), "image/png")
                .post("/api/drf/fbv/posts/new/").then().statusCode(201).body("image", containsString("/original.jpg"));
        given().auth().oauth2(author.access()).multiPart("body", tag + " gif").multiPart("image", "anim", TestImages.gif(8, 8), "application/octet-stream")
                .post("/api/drf/cbv/posts/").then().statusCode(201).body("image", containsString("/original.gif"));
        given().auth().oauth2(author.access()).multiPart("body", tag + " webp").multiPart("image", "x.webp", TestImages.WEBP_1X1, "image/webp")
                .post("/api/posts/").then().statusCode(201).body("image", containsString("/original.webp"));
    }

    @Test
    void refusedUploadsStoreNothing() throws IOException {
        var author = users.user("refused");
        List<Path> before = stored();
        given().auth().oauth2(author.access()).multiPart("body", tag).multiPart("image", "cat.png", "text, renamed".getBytes(), "image/png")
                .post("/api/posts/").then().statusCode(400).contentType("application/problem+json").body("detail", containsString("image"));
        given().auth().oauth2(author.access()).multiPart("body", tag).multiPart("image", "bomb.png", TestImages.pngBomb(50_000, 50_000), "image/png")
                .post("/api/posts/").then().statusCode(400).body("detail", containsString("pixels"));
        byte[] big = new byte[5 * 1024 * 1024 + 10];
        System.arraycopy(TestImages.png(4, 4), 0, big, 0, 8);
        given().auth().oauth2(author.access()).multiPart("body", tag).multiPart("image", "big.png", big, "image/png")
                .post("/api/posts/").then().statusCode(413).contentType("application/problem+json");
        given().auth().oauth2(author.access()).multiPart("body", "").multiPart("image", "ok.png", TestImages.png(4, 4), "image/png")
                .post("/api/posts/").then().statusCode(400);
        given().multiPart("body", tag).multiPart("image", "ok.png", TestImages.png(4, 4), "image/png")
                .post("/api/posts/").then().statusCode(401);
        assertThat(stored()).isEqualTo(before);
        assertThat(QuarkusTransaction.requiringNew().call(() -> Post.count("body", tag))).isZero();
        // A JSON body is still held to WEB_MAX_BODY_SIZE (1M), though a multipart form may be larger.
        given().auth().oauth2(author.access()).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"body\":\"" + "x".repeat(2_000_000) + "\"}").post("/api/register/").then().statusCode(413);
    }
}
