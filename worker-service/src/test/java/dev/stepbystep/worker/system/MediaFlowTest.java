package dev.stepbystep.worker.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.shared.posts.Post;
import dev.stepbystep.testing.TestImages;
import dev.stepbystep.worker.MediaS3Resource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Post images as the seed's Quasar app sends them (multipart {@code body} + {@code image}) to the
 * packaged web-service, stored in S3 (moto) and processed by this JVM's live worker: the URL in
 * the post serves the upload at once and the processed copy (no EXIF or GPS, at most 1280 px)
 * once the job ran; what is not an image, too big or a pixel bomb is refused with nothing
 * written to the bucket; deleting the post deletes its objects.
 */
@QuarkusTest
class MediaFlowTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String email = "media-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    private String access;

    @BeforeEach
    void logIn() throws Exception {
        access = PackagedWeb.logIn(email);
    }

    @AfterEach
    void cleanUp() {
        QuarkusTransaction.requiringNew().run(() -> {
            User.<User>find("email", email).firstResultOptional().ifPresent(u -> Post.delete("createdBy.id", u.id));
            User.delete("email", email);
        });
    }

    /** POST multipart/form-data as a browser's FormData does. */
    private HttpResponse<String> create(String path, String body, String fileName, String type, byte[] image) throws Exception {
        String boundary = "----form" + UUID.randomUUID();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8));
        if (image != null) {
            form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            form.writeBytes(image);
            form.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        form.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return PackagedWeb.send(HttpRequest.newBuilder(PackagedWeb.uri(path)).header("Authorization", "Bearer " + access)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())));
    }

    private JsonNode post(long id) throws Exception {
        HttpResponse<String> r = PackagedWeb.send(HttpRequest.newBuilder(PackagedWeb.uri("/api/posts/" + id + "/")).GET());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private byte[] fetch(String url) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Every key in the bucket. */
    private List<String> objects() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(MediaS3Resource.moto().endpoint() + "/" + MediaS3Resource.BUCKET
                + "?list-type=2&prefix=posts/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        List<String> keys = new ArrayList<>();
        Matcher m = Pattern.compile("<Key>([^<]+)</Key>").matcher(r.body());
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private String awaitProcessed(long id) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> post(id).path("image").asText().contains("/display."));
        try {
            return post(id).path("image").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPhotoWithGpsIsServedAtOnceAndThenWithoutItsMetadataAndSmaller() throws Exception {
        byte[] photo = TestImages.jpegWithGps(3000, 2000, 1);
        HttpResponse<String> created = create("/api/posts/", "holiday", "IMG_0001.JPG", "image/jpeg", photo);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode post = json.readTree(created.body());
        long id = post.path("id").asLong();
        String url = post.path("image").asText();
        assertThat(url).startsWith(MediaS3Resource.moto().endpoint() + "/" + MediaS3Resource.BUCKET + "/posts/").contains("X-Amz-Signature=");

        String processed = awaitProcessed(id);
        byte[] served = fetch(processed);
        assertThat(TestImages.contains(served, "Exif")).isFalse();
        assertThat(TestImages.contains(served, TestImages.GPS_MARKER)).isFalse();
        assertThat(TestImages.size(served)).containsExactly(1280, 853);
        // The list shows the processed copy too (the worker moved the list cache on).
        HttpResponse<String> list = PackagedWeb.send(HttpRequest.newBuilder(PackagedWeb.uri("/api/posts/?search=holiday")).GET());
        assertThat(json.readTree(list.body()).path("results").get(0).path("image").asText()).contains("/display.jpg");
    }

    @Test
    void aPngFromTheFbvRouteServesTheUploadUntilProcessed() throws Exception {
        byte[] png = TestImages.png(200, 100);
        HttpResponse<String> created = create("/api/drf/fbv/posts/new/", "a png", "drawing.png", "image/png", png);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String url = json.readTree(created.body()).path("image").asText();
        assertThat(url).contains("/original.png");
        assertThat(fetch(url)).isEqualTo(png);
        assertThat(TestImages.size(fetch(awaitProcessed(json.readTree(created.body()).path("id").asLong())))).containsExactly(200, 100);
    }

    @Test
    void whatIsNotAnAcceptableImageIsRefusedAndNothingIsStored() throws Exception {
        List<String> before = objects();
        HttpResponse<String> text = create("/api/posts/", "renamed", "cat.png", "image/png", "I am a text file".getBytes(StandardCharsets.UTF_8));
        assertThat(text.statusCode()).as(text.body()).isEqualTo(400);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(create("/api/posts/", "svg", "x.svg", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes()).statusCode())
                .isEqualTo(400);
        assertThat(create("/api/posts/", "bomb", "bomb.png", "image/png", TestImages.pngBomb(100_000, 100_000)).statusCode()).isEqualTo(400);
        byte[] big = new byte[5 * 1024 * 1024 + 1];
        System.arraycopy(TestImages.png(10, 10), 0, big, 0, 8);
        assertThat(create("/api/posts/", "big", "big.png", "image/png", big).statusCode()).isEqualTo(413);
        assertThat(create("/api/posts/", "x".repeat(201), "ok.png", "image/png", TestImages.png(10, 10)).statusCode()).isEqualTo(400);

        assertThat(objects()).isEqualTo(before);
        assertThat(QuarkusTransaction.requiringNew().call(() -> Post.count("body in ?1", List.of("renamed", "svg", "bomb", "big")))).isZero();
    }

    @Test
    void deletingAPostDeletesItsImages() throws Exception {
        HttpResponse<String> created = create("/api/posts/", "to delete", "a.gif", "image/gif", TestImages.gif(50, 50));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = json.readTree(created.body()).path("id").asLong();
        String processed = awaitProcessed(id);
        String folder = processed.substring(processed.indexOf("/posts/") + 1, processed.lastIndexOf('/') + 1);
        assertThat(objects()).filteredOn(k -> k.startsWith(folder)).hasSize(2);

        HttpResponse<String> deleted = PackagedWeb.send(HttpRequest.newBuilder(PackagedWeb.uri("/api/posts/" + id + "/"))
                .header("Authorization", "Bearer " + access).DELETE());
        assertThat(deleted.statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> objects().stream().noneMatch(k -> k.startsWith(folder)));
    }
}
