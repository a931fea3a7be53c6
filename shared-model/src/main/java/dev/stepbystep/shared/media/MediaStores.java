package dev.stepbystep.shared.media;

import dev.stepbystep.shared.config.AppConfig;
import dev.stepbystep.shared.config.StartupRefusedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.nio.file.Path;
import java.time.Clock;

/** The {@link MediaStore} {@code MEDIA_STORAGE} chooses; the S3 clients are created only for {@code s3}. */
@ApplicationScoped
public class MediaStores {

    @Inject
    MediaConfig config;

    @Inject
    AppConfig app;

    @Inject
    Instance<S3Client> s3;

    @Inject
    Instance<S3Presigner> presigner;

    /** Singleton, not application-scoped: no client proxy, so web can tell a {@link FileMediaStore} it serves itself. */
    @Produces
    @jakarta.inject.Singleton
    MediaStore store() {
        if (config.s3()) {
            String bucket = config.bucket().orElseThrow(() ->
                    new StartupRefusedException("MEDIA_STORAGE=s3 needs MEDIA_BUCKET (app.media.bucket)"));
            return new S3MediaStore(s3.get(), presigner.get(), bucket, config.urlTtl());
        }
        return new FileMediaStore(Path.of(config.root()), app.secretKey().orElse(AppConfig.DEVELOPMENT_SECRET_KEY),
                config.urlTtl(), Clock.systemUTC());
    }
}
