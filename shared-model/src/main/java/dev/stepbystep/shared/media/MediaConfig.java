package dev.stepbystep.shared.media;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;
import java.util.Optional;

/**
 * Where post images are kept (a backing service, factor IV): {@code MEDIA_STORAGE=s3} (a private
 * bucket, {@code MEDIA_BUCKET}, served through presigned GET URLs) or {@code filesystem} (a
 * directory, {@code MEDIA_ROOT}, served by web under {@code /media/} through signed URLs).
 */
@ConfigMapping(prefix = "app.media")
public interface MediaConfig {

    /** {@code MEDIA_STORAGE}: {@code filesystem} or {@code s3}. */
    @WithDefault("filesystem")
    @Pattern(regexp = "filesystem|s3", message = "must be filesystem or s3")
    String storage();

    /** {@code MEDIA_BUCKET}: the S3 bucket (required with {@code s3}). */
    Optional<@Pattern(regexp = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", message = "must be an S3 bucket name") String> bucket();

    /** {@code MEDIA_ROOT}: the directory of the filesystem store (shared by web and worker). */
    @WithDefault("media")
    String root();

    /** {@code MEDIA_URL_TTL}: how long an image URL handed to a browser works. */
    @WithDefault("15M")
    @DurationMin(seconds = 10, message = "must be at least 10 seconds")
    @DurationMax(days = 7, message = "must be at most 7 days (S3's limit for presigned URLs)")
    Duration urlTtl();

    /**
     * {@code MEDIA_MAX_PIXELS}: the largest canvas (width x height) an image may claim; checked
     * from the header at upload and again before the worker decodes (decompression bombs).
     */
    @WithDefault("40000000")
    @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(500_000_000)
    long maxPixels();

    default boolean s3() {
        return "s3".equals(storage());
    }
}
