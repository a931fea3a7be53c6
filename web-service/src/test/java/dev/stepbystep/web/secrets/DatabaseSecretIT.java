package dev.stepbystep.web.secrets;

import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.MotoServer;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.testing.RedisKeys;
import dev.stepbystep.testing.ScramPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DB_SECRET_NAME, end to end: the packaged web service (and its admin commands) read the
 * PostgreSQL credentials from AWS Secrets Manager ({@code moto_server}, started here) and log
 * in to a PostgreSQL cluster that really checks passwords ({@link ScramPostgres}); a rotation is
 * picked up without a restart; failures stop start-up with one line naming the secret; and no
 * secret value shows up in anything the processes print or serve.
 */
class DatabaseSecretIT {

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final String prefix = "secret-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final String secretName = "stepbystep/it/" + UUID.randomUUID().toString().substring(0, 8) + "/db";
    /** Everything the processes printed or served, for the leak check. */
    private final List<String> seen = new ArrayList<>();

    /**
     * One password-checking cluster and one Secrets Manager for the class (each test uses roles,
     * databases and a secret of its own): starting them is much of what these tests cost.
     */
    private static ScramPostgres pg;
    private static MotoServer moto;
    private static SecretsManagerClient sm;

    @BeforeAll
    static void startBackingServices() {
        pg = ScramPostgres.start("super-" + UUID.randomUUID());
        moto = MotoServer.start();
        sm = secrets(moto);
    }

    @AfterAll
    static void stopBackingServices() {
        if (sm != null) {
            sm.close();
        }
        if (moto != null) {
            moto.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @AfterEach
    void cleanRedis() {
        RedisKeys.deleteAll(services, prefix + ":*");
    }

    private static SecretsManagerClient secrets(MotoServer moto) {
        return SecretsManagerClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private Map<String, String> env(MotoServer moto, Map<String, String> database) {
        Map<String, String> env = new HashMap<>(services.asEnvironment());
        env.putAll(database);
        env.putAll(moto == null ? Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY) : moto.awsEnvironment());
        env.put("DB_SECRET_NAME", secretName);
        env.put("APP_QUEUE_PREFIX", prefix);
        env.put("SECRET_KEY", "secret-it-" + UUID.randomUUID() + UUID.randomUUID());
        // The most talkative logging this service would ever run with in production.
        env.put("QUARKUS_LOG_CATEGORY__DEV_STEPBYSTEP__LEVEL", "DEBUG");
        env.put("QUARKUS_LOG_CATEGORY__SOFTWARE_AMAZON_AWSSDK__LEVEL", "DEBUG");
        env.put("QUARKUS_LOG_CATEGORY__IO_AGROAL__LEVEL", "DEBUG");
        return env;
    }

    private PackagedService.Response get(PackagedService web, String path) {
        PackagedService.Response r = web.get(path);
        seen.add(r.body());
        return r;
    }

    /** A request that must reach PostgreSQL: a search nobody made before misses the post list cache. */
    private int queryThroughTheApi(PackagedService web) {
        return get(web, "/api/posts/?search=" + UUID.randomUUID()).statusCode();
    }

    private String runCommand(Map<String, String> env, String... args) {
        try (PackagedService p = PackagedService.start(env, args)) {
            int exit = p.awaitExit(Duration.ofSeconds(60));
            seen.add(p.outputText());
            assertThat(exit).as(p.outputText()).isZero();
            return p.outputText();
        }
    }

    private void assertNeverShown(String... values) {
        for (String value : values) {
            for (String text : seen) {
                assertThat(text).as("a secret value was printed or served").doesNotContain(value);
            }
        }
    }

    @Test
    void plainSecretIsTheDatabasePasswordAndARotationIsPickedUpWithoutARestart() {
        String before = "before-" + UUID.randomUUID();
        String after = "after-" + UUID.randomUUID();
        pg.execute("CREATE ROLE app LOGIN CREATEDB PASSWORD '" + before + "'");
        sm.createSecret(r -> r.name(secretName).secretString(before));
        Map<String, String> env = env(moto, Map.of("POSTGRES_SERVICE_HOST", "127.0.0.1",
                "POSTGRES_SERVICE_PORT", Integer.toString(pg.port()), "POSTGRES_NAME", "appdb",
                "POSTGRES_USERNAME", "app", "POSTGRES_PASSWORD", "not-the-password"));

        // The admin commands read the same secret: pre-update creates and migrates the database.
        assertThat(runCommand(env, "pre-update")).contains("create-database: created database appdb")
                .contains("migrate: applied");

        try (PackagedService web = PackagedService.start(env)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> web.status("/q/health/ready") == 200);
            assertThat(queryThroughTheApi(web)).isEqualTo(200);
            long pid = web.process().pid();

            // Rotation, in the order AWS's rotation functions do it: the database first, then the secret.
            pg.execute("ALTER ROLE app PASSWORD '" + after + "'");
            pg.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'app'");
            // With the secret not yet updated, new connections are refused (this cluster checks passwords)...
            await().atMost(Duration.ofSeconds(20)).until(() -> queryThroughTheApi(web) == 503
                    && web.outputText().contains("the secret still holds the same ones"));
            assertThat(get(web, "/api/posts/?search=" + UUID.randomUUID()).body()).contains("the database is unavailable");

            sm.putSecretValue(r -> r.secretId(secretName).secretString(after));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> queryThroughTheApi(web) == 200);
            assertThat(web.process().isAlive()).isTrue();
            assertThat(web.process().pid()).as("same process: no restart").isEqualTo(pid);
            assertThat(web.outputText()).contains("read it again and got new ones");
            assertThat(get(web, "/q/health/ready").statusCode()).isEqualTo(200);

            get(web, "/q/health");
            get(web, "/q/metrics");
            seen.add(web.outputText());
        }
        assertNeverShown(before, after);
    }

    @Test
    void jsonSecretSuppliesUserAndLocationAsRdsSecretsDo() {
        String password = "json-" + UUID.randomUUID();
        pg.execute("CREATE ROLE rds_user LOGIN CREATEDB PASSWORD '" + password + "'");
        sm.createSecret(r -> r.name(secretName).secretString("{\"engine\":\"postgres\",\"username\":\"rds_user\",\"password\":\""
                + password + "\",\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"dbname\":\"jsondb\"}"));
        // Every POSTGRES_* location variable is wrong: the secret's fields take precedence.
        Map<String, String> env = env(moto, Map.of("POSTGRES_SERVICE_HOST", "db.invalid",
                "POSTGRES_SERVICE_PORT", "1", "POSTGRES_NAME", "wrongdb", "POSTGRES_USERNAME", "nobody"));

        assertThat(runCommand(env, "pre-update")).contains("created database jsondb");
        try (PackagedService web = PackagedService.start(env)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> web.status("/q/health/ready") == 200);
            assertThat(queryThroughTheApi(web)).isEqualTo(200);
            get(web, "/q/health");
            seen.add(web.outputText());
        }
        assertNeverShown(password);
    }

    private PackagedService.Response refusedStart(Map<String, String> env) {
        try (PackagedService web = PackagedService.start(env)) {
            int exit = web.awaitExit(Duration.ofSeconds(90));
            seen.add(web.outputText());
            List<String> lines = web.output();
            return new PackagedService.Response(exit, lines.isEmpty() ? "" : lines.get(lines.size() - 1));
        }
    }

    @Test
    void aMissingDeniedUnreachableOrUnreadableSecretStopsStartUpWithOneLineNamingIt() {
        String hidden = "hidden-" + UUID.randomUUID();
        Map<String, String> db = Map.of("POSTGRES_PASSWORD", services.password());
        PackagedService.Response missing = refusedStart(env(moto, db));
        assertThat(missing.statusCode()).isEqualTo(1);
        assertThat(missing.body()).startsWith("web-service: cannot start: AWS Secrets Manager has no secret '" + secretName + "'");

        sm.createSecret(r -> r.name(secretName).secretString("{\"username\":\"x\",\"password\":\"" + hidden + "\",\"port\":\"eighty\"}"));
        PackagedService.Response badPort = refusedStart(env(moto, db));
        assertThat(badPort.statusCode()).isEqualTo(1);
        assertThat(badPort.body()).contains("secret '" + secretName + "' has a \"port\" that is not a number");

        sm.putSecretValue(r -> r.secretId(secretName).secretString("{\"password\": \"" + hidden + "\", oops}"));
        PackagedService.Response badJson = refusedStart(env(moto, db));
        assertThat(badJson.statusCode()).isEqualTo(1);
        assertThat(badJson.body()).contains("secret '" + secretName + "' starts like JSON but is not valid JSON");
        // IAM enforced: moto lets the first request (creating the secret) through, then refuses unknown keys.
        try (MotoServer strict = MotoServer.start(Map.of("INITIAL_NO_AUTH_ACTION_COUNT", "1")); SecretsManagerClient sm = secrets(strict)) {
            sm.createSecret(r -> r.name(secretName).secretString(hidden));
            PackagedService.Response denied = refusedStart(env(strict, db));
            assertThat(denied.statusCode()).isEqualTo(1);
            assertThat(denied.body()).startsWith("web-service: cannot start: AWS Secrets Manager refused to read secret '" + secretName + "'");
        }
        Map<String, String> unreachable = new HashMap<>(env(null, db));
        unreachable.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + PackagedService.freePort());
        PackagedService.Response down = refusedStart(unreachable);
        assertThat(down.statusCode()).isEqualTo(1);
        assertThat(down.body()).startsWith("web-service: cannot start: cannot reach AWS Secrets Manager to read secret '" + secretName + "'");
        assertNeverShown(hidden);
    }
}
