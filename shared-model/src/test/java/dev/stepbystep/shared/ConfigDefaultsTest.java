package dev.stepbystep.shared;

import dev.stepbystep.shared.config.AppConfig;
import dev.stepbystep.shared.media.MediaConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Factor III: the shipped configuration file binds each variable of docs/configuration.md with its local
 * default, and an environment variable overrides it. Built from the very file every service
 * loads, with a fake environment, so the machine's own environment cannot leak in.
 */
class ConfigDefaultsTest {

    private static SmallRyeConfig config(Map<String, String> env) throws IOException {
        return config(env, "dev");
    }

    private static SmallRyeConfig config(Map<String, String> env, String profile) throws IOException {
        var file = ConfigDefaultsTest.class.getClassLoader().getResource("META-INF/microprofile-config.properties");
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withProfile(profile)
                .withSources(new PropertiesConfigSource(file, 100))
                .withSources(new MapBackedConfigSource("fake-env", env, 300) {
                })
                .withDefaultValue("quarkus.application.name", "test-service")
                .withMapping(AppConfig.class)
                .withMapping(MediaConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter()) // "15M", as Quarkus reads it
                .build();
    }

    @Test
    void defaultsLetALaptopRunWithNoSetup() throws IOException {
        SmallRyeConfig config = config(Map.of());
        AppConfig app = config.getConfigMapping(AppConfig.class);

        assertThat(app.postgres().host()).isEqualTo("localhost");
        assertThat(app.postgres().port()).isEqualTo(5432);
        assertThat(app.postgres().name()).isEqualTo("postgres");
        assertThat(app.postgres().username()).isEqualTo("postgres");
        assertThat(app.postgres().secretName()).isEmpty();
        assertThat(config.getValue("quarkus.datasource.password", String.class)).isEqualTo("postgres");
        assertThat(app.redis().host()).isEqualTo("127.0.0.1");
        assertThat(app.redis().port()).isEqualTo(6379);
        assertThat(app.secretKey()).contains(AppConfig.DEVELOPMENT_SECRET_KEY);
        assertThat(app.requireProductionSecret()).isFalse();
        assertThat(app.sourceTag()).isEqualTo("-");
        assertThat(app.frontendUrl()).isEqualTo(URI.create("http://localhost"));
        assertThat(app.adminEmail()).isEmpty();
        assertThat(app.activationPath()).isEqualTo("/verify/{uid}/{token}");
        assertThat(app.aws().region()).isEqualTo("us-east-1");
        assertThat(app.aws().endpointUrl()).isEmpty();
        assertThat(config.getValue("quarkus.datasource.jdbc.url", String.class))
                .startsWith("jdbc:postgresql://localhost:5432/postgres?");
        assertThat(config.getValue("quarkus.redis.hosts", String.class)).isEqualTo("redis://127.0.0.1:6379");
        MediaConfig media = config.getConfigMapping(MediaConfig.class);
        assertThat(media.storage()).isEqualTo("filesystem");
        assertThat(media.root()).isEqualTo("media");
        assertThat(media.bucket()).isEmpty();
        assertThat(media.urlTtl()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(media.maxPixels()).isEqualTo(40_000_000L);
    }

    @Test
    void environmentVariablesOverrideEveryDefault() throws IOException {
        SmallRyeConfig config = config(Map.ofEntries(
                Map.entry("POSTGRES_SERVICE_HOST", "db.internal"),
                Map.entry("POSTGRES_SERVICE_PORT", "6543"),
                Map.entry("POSTGRES_NAME", "app"),
                Map.entry("POSTGRES_USERNAME", "appuser"),
                Map.entry("POSTGRES_PASSWORD", "s3cret"),
                Map.entry("DB_SECRET_NAME", "prod/db"),
                Map.entry("REDIS_SERVICE_HOST", "cache.internal"),
                Map.entry("REDIS_SERVICE_PORT", "6380"),
                Map.entry("SECRET_KEY", "k".repeat(40)),
                Map.entry("SOURCE_TAG", "v1.2.3"),
                Map.entry("FRONTEND_URL", "https://app.example.com"),
                Map.entry("ADMIN_EMAIL", "ops@example.com"),
                Map.entry("EMAIL_ACTIVATION_PATH", "/activate/{uid}/{token}"),
                Map.entry("AWS_REGION", "eu-west-1"),
                Map.entry("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
                Map.entry("MEDIA_STORAGE", "s3"),
                Map.entry("MEDIA_BUCKET", "media-bucket"),
                Map.entry("MEDIA_ROOT", "/srv/media"),
                Map.entry("MEDIA_URL_TTL", "5M"),
                Map.entry("MEDIA_MAX_PIXELS", "1000000")));
        AppConfig app = config.getConfigMapping(AppConfig.class);

        assertThat(config.getValue("quarkus.datasource.jdbc.url", String.class)).startsWith("jdbc:postgresql://db.internal:6543/app?");
        assertThat(config.getValue("quarkus.datasource.username", String.class)).isEqualTo("appuser");
        assertThat(config.getValue("quarkus.datasource.password", String.class)).isEqualTo("s3cret");
        assertThat(app.postgres().secretName()).contains("prod/db");
        assertThat(config.getValue("quarkus.redis.hosts", String.class)).isEqualTo("redis://cache.internal:6380");
        assertThat(app.secretKey()).contains("k".repeat(40));
        assertThat(app.sourceTag()).isEqualTo("v1.2.3");
        assertThat(app.frontendUrl()).isEqualTo(URI.create("https://app.example.com"));
        assertThat(app.adminEmail()).contains("ops@example.com");
        assertThat(app.activationPath()).isEqualTo("/activate/{uid}/{token}");
        assertThat(app.aws().region()).isEqualTo("eu-west-1");
        assertThat(app.aws().endpointUrl()).contains(URI.create("http://127.0.0.1:5000"));
        MediaConfig media = config.getConfigMapping(MediaConfig.class);
        assertThat(media.s3()).isTrue();
        assertThat(media.bucket()).contains("media-bucket");
        assertThat(media.root()).isEqualTo("/srv/media");
        assertThat(media.urlTtl()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(media.maxPixels()).isEqualTo(1_000_000L);
        assertThat(config.getValue("quarkus.s3.endpoint-override", String.class)).isEqualTo("http://127.0.0.1:5000");
    }

    @Test
    void productionRequiresARealSecretKey() throws IOException {
        assertThat(config(Map.of(), "prod").getConfigMapping(AppConfig.class).requireProductionSecret()).isTrue();
    }

    @Test
    void anActivationPathWithoutBothPartsIsRefused() {
        // Quarkus validates the mapping against this pattern at start (a one-line reason naming the key).
        for (String path : new String[] {"verify/{uid}/{token}", "/verify/{uid}", "/verify/{token}",
                "/verify/{uid}/{uid}/{token}", "/verify/{uid}/{token} x", "/verify/{uid}/{token}\\x", ""}) {
            assertThat(path).as(path).doesNotMatch(AppConfig.ACTIVATION_PATH_PATTERN);
        }
        assertThat("/activate/{uid}/{token}").matches(AppConfig.ACTIVATION_PATH_PATTERN);
        assertThat("/#/verify/{token}/{uid}").matches(AppConfig.ACTIVATION_PATH_PATTERN);
    }

    @Test
    void aPortThatIsNotANumberIsRefused() {
        assertThatThrownBy(() -> config(Map.of("POSTGRES_SERVICE_PORT", "five")))
                .hasMessageContaining("app.postgres.port");
    }
}
