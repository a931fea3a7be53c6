package dev.stepbystep.shared;

import dev.stepbystep.shared.accounts.ActivationTokens;
import dev.stepbystep.shared.accounts.User;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActivationTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final ActivationTokens tokens = new ActivationTokens("k".repeat(40), Duration.ofDays(3), Clock.fixed(NOW, ZoneOffset.UTC));

    private static User user() {
        User u = new User();
        u.id = 42L;
        u.email = "a@example.com";
        u.passwordHash = "$2a$10$hash";
        return u;
    }

    @Test
    void aFreshTokenIsValidForItsUser() {
        User u = user();
        assertThat(tokens.isValid(u, tokens.token(u))).isTrue();
    }

    @Test
    void tokenStopsWorkingOnceTheAccountIsActive() {
        User u = user();
        String token = tokens.token(u);
        u.active = true;
        assertThat(tokens.isValid(u, token)).isFalse();
    }

    @Test
    void tokenStopsWorkingWhenThePasswordChanges() {
        User u = user();
        String token = tokens.token(u);
        u.passwordHash = "$2a$10$other";
        assertThat(tokens.isValid(u, token)).isFalse();
    }

    @Test
    void tokenExpires() {
        User u = user();
        String token = new ActivationTokens("k".repeat(40), Duration.ofDays(3),
                Clock.fixed(NOW.minus(Duration.ofDays(3)).minusSeconds(1), ZoneOffset.UTC)).token(u);
        assertThat(tokens.isValid(u, token)).isFalse();
    }

    @Test
    void tokenOfAnotherUserOrKeyOrGarbageIsRefused() {
        User u = user();
        User other = user();
        other.id = 43L;
        assertThat(tokens.isValid(other, tokens.token(u))).isFalse();
        assertThat(new ActivationTokens("x".repeat(40), Duration.ofDays(3), Clock.fixed(NOW, ZoneOffset.UTC)).isValid(u, tokens.token(u))).isFalse();
        assertThat(tokens.isValid(u, "garbage")).isFalse();
        assertThat(tokens.isValid(u, "-abc")).isFalse();
        assertThat(tokens.isValid(u, "zzzzzzzzzzzzzzzzzzzzzz-abc")).isFalse();
    }

    @Test
    void uidb64RoundTripsAndRejectsJunk() {
        assertThat(ActivationTokens.userId(ActivationTokens.uidb64(42))).contains(42L);
        assertThat(ActivationTokens.userId("not base64!")).isEmpty();
        assertThat(ActivationTokens.userId(ActivationTokens.uidb64(0))).isEmpty();
        assertThat(tokens.link("http://localhost/", user())).startsWith("http://localhost/verify/NDI/");
    }

    @Test
    void theLinkFollowsTheConfiguredRoute() {
        ActivationTokens quasar = new ActivationTokens("k".repeat(40), Duration.ofDays(3), Clock.fixed(NOW, ZoneOffset.UTC), "/activate/{uid}/{token}");
        User u = user();
        String link = quasar.link("https://app.example.com", u);
        assertThat(link).startsWith("https://app.example.com/activate/NDI/");
        assertThat(quasar.isValid(u, link.substring(link.lastIndexOf('/') + 1))).isTrue();
        assertThatThrownBy(() -> new ActivationTokens("k".repeat(40), Duration.ofDays(3), Clock.systemUTC(), "/verify/{uid}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
