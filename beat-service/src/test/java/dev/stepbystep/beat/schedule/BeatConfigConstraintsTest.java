package dev.stepbystep.beat.schedule;

import dev.stepbystep.testing.ConfigConstraints;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Beat's durations: a zero metrics interval is refused at start, with the property's name. */
class BeatConfigConstraintsTest {

    @Test
    void zeroOrNegativeDurationsAreRefused() {
        assertThat(ConfigConstraints.problems(BeatConfig.class, Map.of())).isEmpty();
        assertThat(ConfigConstraints.problems(BeatConfig.class, Map.of("beat.metrics.interval", "1S"))).isEmpty();
        assertThat(ConfigConstraints.problems(BeatConfig.class, Map.of("beat.metrics.interval", "0S")))
                .singleElement().asString().startsWith("beat.metrics.interval");
    }
}
