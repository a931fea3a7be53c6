package dev.stepbystep.worker.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WatchdogTest {

    @Test
    void everyCheckRunsEachTickWithTheTickTimeAndStopEndsThem() {
        List<Long> first = new CopyOnWriteArrayList<>();
        List<Long> second = new CopyOnWriteArrayList<>();
        Watchdog watchdog = new Watchdog(List.of(first::add, second::add));
        watchdog.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> first.size() >= 5);
        watchdog.stop();
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(100)).until(() -> true);
        int after = first.size();
        await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        assertThat(first).hasSize(after);
        assertThat(first.get(1) - first.get(0)).isGreaterThanOrEqualTo(Watchdog.TICK.toNanos());
        assertThat(second.subList(0, 3)).isEqualTo(first.subList(0, 3)); // one time per tick, for every check
    }
}
