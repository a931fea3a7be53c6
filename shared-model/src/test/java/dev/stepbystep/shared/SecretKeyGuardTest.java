package dev.stepbystep.shared;

import dev.stepbystep.shared.config.AppConfig;
import dev.stepbystep.shared.config.SecretKeyGuard;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretKeyGuardTest {

    @Test
    void developmentValueMissingAndShortKeysAreUnfitForProduction() {
        assertThat(SecretKeyGuard.problem(AppConfig.DEVELOPMENT_SECRET_KEY)).get().asString().contains("SECRET_KEY");
        assertThat(SecretKeyGuard.problem(null)).isPresent();
        assertThat(SecretKeyGuard.problem("  ")).isPresent();
        assertThat(SecretKeyGuard.problem("short-key")).get().asString().contains("shorter than 32");
    }

    @Test
    void aLongRandomKeyIsAccepted() {
        assertThat(SecretKeyGuard.problem("f3a9c1d0b7e24c6a9e5d8b1f0c2a4e6d8b0c2e4f")).isEmpty();
    }
}
