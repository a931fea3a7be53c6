package dev.stepbystep.shared.database;

import dev.stepbystep.shared.config.AppConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The database credentials of {@code DB_SECRET_NAME} (factor III): read from AWS Secrets
 * Manager once, kept in memory, and read again only when PostgreSQL rejects them, which is what
 * a rotation looks like from here. Without {@code DB_SECRET_NAME} this bean is inert and
 * {@code POSTGRES_PASSWORD} applies.
 *
 * <p>A rejected login re-reads the secret at most once per {@link #MIN_REREAD_INTERVAL}, so a
 * wrong password in the database does not turn every pool retry into a Secrets Manager call.
 */
@ApplicationScoped
public class DatabaseSecret {

    static final Duration MIN_REREAD_INTERVAL = Duration.ofSeconds(5);

    @Inject
    AppConfig config;

    @Inject
    Instance<SecretsManagerClient> client;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> configuredPassword;

    Clock clock = Clock.systemUTC();

    private volatile DatabaseCredentials current;
    private Instant lastRead = Instant.MIN;

    public boolean enabled() {
        return config.postgres().secretName().isPresent();
    }

    public String secretName() {
        return config.postgres().secretName().orElseThrow();
    }

    /** The cached credentials, read from Secrets Manager on first use. */
    public DatabaseCredentials current() {
        DatabaseCredentials value = current;
        if (value != null) {
            return value;
        }
        synchronized (this) {
            if (current == null) {
                current = read();
                Log.infof("database credentials come from AWS Secrets Manager secret '%s' (fields: %s)",
                        secretName(), String.join(", ", current.fieldNames()));
            }
            return current;
        }
    }

    /**
     * Called when PostgreSQL refused {@code rejected}: returns credentials worth one more try,
     * or {@code rejected} itself when there is nothing new (the caller then gives up).
     */
    public DatabaseCredentials reread(DatabaseCredentials rejected) {
        synchronized (this) {
            if (current != null && !current.equals(rejected)) {
                return current; // another connection attempt already picked up the rotation
            }
            if (Duration.between(lastRead, clock.instant()).compareTo(MIN_REREAD_INTERVAL) < 0) {
                return rejected;
            }
            DatabaseCredentials fresh = read();
            boolean changed = !fresh.equals(rejected);
            current = fresh;
            if (changed) {
                Log.infof("PostgreSQL rejected the credentials of secret '%s'; read it again and got new ones "
                        + "(rotation): new connections use them", secretName());
            } else {
                Log.warnf("PostgreSQL rejected the credentials of secret '%s', and the secret still holds the same ones; "
                        + "will read it again in %d s at the earliest", secretName(), MIN_REREAD_INTERVAL.toSeconds());
            }
            return fresh;
        }
    }

    /** Host, port, database, user and password to connect with: the secret's fields over the {@code POSTGRES_*} variables. */
    public Target target() {
        AppConfig.Postgres pg = config.postgres();
        if (!enabled()) {
            return new Target(pg.host(), pg.port(), pg.name(), pg.username(), configuredPassword.orElse(""));
        }
        DatabaseCredentials c = current();
        return new Target(c.host().orElse(pg.host()), c.port().orElse(pg.port()), c.dbname().orElse(pg.name()),
                c.username().orElse(pg.username()), c.password());
    }

    /** Where and as whom to connect. {@link #toString()} hides the password. */
    public record Target(String host, int port, String database, String username, String password) {
        @Override
        public String toString() {
            return username + "@" + host + ":" + port + "/" + database;
        }
    }

    private DatabaseCredentials read() {
        String name = secretName();
        lastRead = clock.instant();
        GetSecretValueResponse response;
        try {
            response = client.get().getSecretValue(r -> r.secretId(name));
        } catch (ResourceNotFoundException e) {
            throw new DatabaseSecretException("AWS Secrets Manager has no secret '" + name + "' (DB_SECRET_NAME) in region "
                    + config.aws().region());
        } catch (SecretsManagerException e) {
            String detail = e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
            throw new DatabaseSecretException("AWS Secrets Manager refused to read secret '" + name + "': " + detail);
        } catch (SdkClientException e) {
            throw new DatabaseSecretException("cannot reach AWS Secrets Manager to read secret '" + name + "': "
                    + firstLine(e.getMessage()));
        } catch (SdkException e) {
            throw new DatabaseSecretException("cannot read secret '" + name + "' from AWS Secrets Manager: " + firstLine(e.getMessage()));
        }
        if (response.secretString() == null) {
            throw new DatabaseSecretException("secret '" + name + "' holds binary data; store the password as a string or JSON");
        }
        return DatabaseSecretParser.parse(name, response.secretString());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        return message.strip().lines().findFirst().orElse("no detail");
    }
}
