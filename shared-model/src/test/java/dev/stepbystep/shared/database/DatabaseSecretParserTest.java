package dev.stepbystep.shared.database;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseSecretParserTest {

    private static final String VALUE = "s3cr3t-V4lue";

    @Test
    void aPlainStringIsThePassword() {
        DatabaseCredentials c = DatabaseSecretParser.parse("db", VALUE);
        assertThat(c.password()).isEqualTo(VALUE);
        assertThat(c.username()).isEmpty();
        assertThat(c.hasLocation()).isFalse();
    }

    @Test
    void anRdsStyleJsonSecretGivesEveryField() {
        DatabaseCredentials c = DatabaseSecretParser.parse("db", """
                {"engine":"postgres","username":"app","password":"%s","host":"db.example.internal","port":"5433","dbname":"app"}
                """.formatted(VALUE));
        assertThat(c).isEqualTo(new DatabaseCredentials(Optional.of("app"), VALUE, Optional.of("db.example.internal"),
                Optional.of(5433), Optional.of("app")));
        assertThat(c.toString()).doesNotContain(VALUE).contains("password", "username", "host", "port", "dbname");
    }

    @Test
    void badSecretsAreRefusedWithoutQuotingThem() {
        for (String bad : List.of("", "{}", "{\"password\": 5}", "{\"password\":\"" + VALUE + "\",\"port\":70000}",
                "{\"password\":\"" + VALUE + "\",\"dbname\":\"a b\"}", "{\"password\":\"" + VALUE + "\" " + VALUE + "}",
                VALUE + "\n" + VALUE)) {
            assertThatThrownBy(() -> DatabaseSecretParser.parse("prod/db", bad)).as(bad)
                    .isInstanceOf(DatabaseSecretException.class)
                    .hasMessageContaining("'prod/db'")
                    .hasNoCause()
                    .message().doesNotContain(VALUE);
        }
    }

    @Test
    void theSecretsLocationReplacesTheConfiguredOneAndKeepsTheParameters() {
        DatabaseCredentials c = new DatabaseCredentials(Optional.empty(), VALUE, Optional.of("rds.internal"), Optional.empty(),
                Optional.of("app"));
        assertThat(SecretAwarePostgresDriver.relocate("jdbc:postgresql://localhost:5432/postgres?ApplicationName=web&connectTimeout=5", c))
                .isEqualTo("jdbc:postgresql://rds.internal:5432/app?ApplicationName=web&connectTimeout=5");
        assertThat(SecretAwarePostgresDriver.relocate("jdbc:postgresql://localhost/x", DatabaseCredentials.passwordOnly(VALUE)))
                .isEqualTo("jdbc:postgresql://localhost/x");
    }
}
