package dev.stepbystep.web.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadRedactorTest {

    @Test
    void componentsMarkedSensitiveAreRedactedAndTheRestShown() {
        String shown = PayloadRedactor.redact("core.send_email_debug_task", "{\"subject\":\"salary\",\"message\":\"numbers\"}");
        assertThat(shown).contains("\"subject\" : \"[redacted]\"").contains("\"message\" : \"[redacted]\"")
                .doesNotContain("salary").doesNotContain("numbers");
        assertThat(PayloadRedactor.redact("core.send_email_debug_task", "{\"subject\":null}")).contains("\"subject\" : null");
        assertThat(PayloadRedactor.redact("core.debug_task", "{\"sleepMs\":5}")).contains("\"sleepMs\" : 5");
    }

    @Test
    void fieldsNamedLikeCredentialsAreRedactedAtAnyDepth() {
        String shown = PayloadRedactor.redact("core.debug_task", "{\"sleepMs\":5,\"nested\":[{\"apiKey\":\"k1\",\"Password\":\"p\",\"refresh_token\":\"t\"}]}");
        assertThat(shown).contains("\"sleepMs\" : 5").doesNotContain("k1").doesNotContain("\"p\"").doesNotContain("\"t\"");
    }

    @Test
    void anUnknownTasksPayloadShowsItsShapeOnlyAndNonJsonNothing() {
        String shown = PayloadRedactor.redact("some.future_task", "{\"who\":\"alice\",\"count\":3,\"list\":[\"x\"]}");
        assertThat(shown).contains("\"who\" : \"[redacted]\"").contains("\"count\" : \"[redacted]\"").doesNotContain("alice").doesNotContain("\"x\"");
        assertThat(PayloadRedactor.redact("core.debug_task", "not json {")).isEqualTo("[redacted]");
        assertThat(PayloadRedactor.redact("core.debug_task", null)).isNull();
    }
}
