package dev.stepbystep.jobs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queue names: 1-64 of [A-Za-z0-9_.-], nothing else (they become parts of Redis keys). */
class KeySchemaTest {

    @Test
    void queueNamesOfTheAllowedCharactersAndLengthPass() {
        assertThat(KeySchema.checkQueue("default")).isEqualTo("default");
        assertThat(KeySchema.checkQueue("a")).isEqualTo("a");
        assertThat(KeySchema.checkQueue("Mail_v2.high-priority")).isEqualTo("Mail_v2.high-priority");
        assertThat(KeySchema.checkQueue("q".repeat(64))).hasSize(64);
    }

    @Test
    void anyOtherQueueNameIsRefused() {
        for (String bad : new String[] {null, "", "q".repeat(65), "bad queue", "a:b", "{tag}", "é", "a*", "tab\t", "new\nline"}) {
            assertThatThrownBy(() -> KeySchema.checkQueue(bad)).as("%s", bad).isInstanceOf(InvalidJobException.class)
                    .hasMessageContaining("queue names are 1-64");
        }
    }
}
