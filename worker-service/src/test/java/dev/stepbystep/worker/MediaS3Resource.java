package dev.stepbystep.worker;

import dev.stepbystep.testing.MotoServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The worker's tests keep post images in S3, emulated by a {@code moto_server} started here with
 * a bucket of its own (web's tests use the filesystem store, so both stores are exercised).
 */
public class MediaS3Resource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "stepbystep-test-media";

    private static MotoServer moto;

    /** The emulator, for tests that start other processes against the same bucket. */
    public static MotoServer moto() {
        return moto;
    }

    /** The environment a packaged service needs to use the same bucket. */
    public static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(moto.awsEnvironment());
        env.put("MEDIA_STORAGE", "s3");
        env.put("MEDIA_BUCKET", BUCKET);
        env.put("QUARKUS_S3_PATH_STYLE_ACCESS", "true");
        return env;
    }

    @Override
    public Map<String, String> start() {
        moto = MotoServer.start();
        try {
            HttpResponse<String> created = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(moto.endpoint() + "/" + BUCKET)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 200) {
                throw new IllegalStateException("creating the test bucket: " + created.statusCode() + " " + created.body());
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("creating the test bucket", e);
        }
        return Map.of("MEDIA_STORAGE", "s3", "MEDIA_BUCKET", BUCKET, "AWS_ENDPOINT_URL", moto.endpoint(),
                "quarkus.s3.path-style-access", "true",
                "quarkus.s3.aws.credentials.type", "static",
                "quarkus.s3.aws.credentials.static-provider.access-key-id", MotoServer.ACCESS_KEY,
                "quarkus.s3.aws.credentials.static-provider.secret-access-key", MotoServer.SECRET_KEY);
    }

    @Override
    public void stop() {
        if (moto != null) {
            moto.close();
        }
    }
}
