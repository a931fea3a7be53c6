package dev.stepbystep.web;

import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.testing.PackagedServiceContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged web-service, run as a process: health, metrics, logs and start-up refusals. */
class WebServiceProcessIT extends PackagedServiceContract {

    /** The image store is resolved at start: S3 without a bucket is a refusal, not a 500 at the first upload. */
    @Test
    void s3StorageWithoutABucketIsRefusedAtStart() {
        Map<String, String> env = productionEnvironment(BackingServices.locate());
        env.put("MEDIA_STORAGE", "s3");
        try (PackagedService service = PackagedService.start(env)) {
            assertThat(service.awaitExit(Duration.ofSeconds(30))).isNotZero();
            assertThat(lastLine(service)).contains("cannot start").contains("MEDIA_BUCKET");
        }
    }
}
