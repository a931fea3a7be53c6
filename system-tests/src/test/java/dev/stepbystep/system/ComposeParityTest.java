package dev.stepbystep.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ComposeParityTest {

    private final ComposeParity parity = new ComposeParity(Repo.root());
    private final Path compose = Repo.file("docker-compose.yml");

    @Test
    void composeSetsOnlyWhatTheServicesReadAndAllTheyNeed() {
        assertThat(parity.check(compose)).isEmpty();
    }

    @Test
    void theServicesReadTheDesignVariables() {
        assertThat(parity.variablesRead("web-service")).contains("POSTGRES_SERVICE_HOST", "DB_SECRET_NAME", "SECRET_KEY",
                "FRONTEND_URL", "SOURCE_TAG", "PORT").doesNotContain("WORKER_QUEUES");
        assertThat(parity.variablesRead("worker-service")).contains("WORKER_QUEUES", "WORKER_CONCURRENCY", "EMAIL_HOST");
    }

    private List<String> checkVariant(String from, String to, Path dir) throws IOException {
        String text = Files.readString(compose);
        assertThat(text).as("the fixture edit must apply").contains(from);
        Path variant = dir.resolve("docker-compose.yml");
        Files.writeString(variant, text.replace(from, to));
        return parity.check(variant);
    }

    @Test
    void aMisspeltVariableIsCaught(@TempDir Path dir) throws IOException {
        assertThat(checkVariant("  REDIS_SERVICE_HOST: redis", "  REDIS_SERVICE_HOTS: redis", dir))
                .contains("web: sets REDIS_SERVICE_HOTS, which web-service does not read",
                        "worker: sets REDIS_SERVICE_HOTS, which worker-service does not read",
                        "web: does not set REDIS_SERVICE_HOST, which it needs in compose");
    }

    @Test
    void aVariableOfAnotherServiceIsCaught(@TempDir Path dir) throws IOException {
        assertThat(checkVariant("      WORKER_QUEUES: default", "      WORKER_QUEUES: default\n      BEAT_METRICS_INTERVAL: 60S", dir))
                .containsExactly("worker: sets BEAT_METRICS_INTERVAL, which worker-service does not read");
    }

    @Test
    void aMissingRequiredVariableIsCaught(@TempDir Path dir) throws IOException {
        assertThat(checkVariant("      EMAIL_HOST: mailpit\n", "", dir)).contains("worker: does not set EMAIL_HOST, which it needs in compose");
    }

    @Test
    void aDifferentDatabaseMajorIsCaught(@TempDir Path dir) throws IOException {
        assertThat(Files.exists(Repo.file("deploy/base.yaml"))).as("deploy/base.yaml holds the RDS and ElastiCache versions").isTrue();
        assertThat(checkVariant("image: postgres:16-alpine", "image: postgres:15-alpine", dir))
                .containsExactly("PostgreSQL: compose runs major 15, deploy/ runs major 16");
        assertThat(checkVariant("image: redis:7.2-alpine", "image: redis:6.2-alpine", dir))
                .containsExactly("Redis: compose runs major 6, deploy/ runs major 7");
    }
}
