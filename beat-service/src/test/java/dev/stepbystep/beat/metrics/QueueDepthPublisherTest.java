package dev.stepbystep.beat.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The publisher's pacing: it must keep publishing after a publish that overran its interval. */
class QueueDepthPublisherTest {

    private static final long MINUTE = 60_000;

    @Test
    void waitsUntilJustPastTheNextSlot() {
        long slot = 10 * MINUTE;
        assertThat(QueueDepthPublisher.untilNextSlot(slot, MINUTE, slot + 200)).isEqualTo(MINUTE - 200 + 5);
    }

    @Test
    void doesNotWaitWhenPublishingRanPastTheNextSlot() {
        // Started 0.1 s before a minute boundary, first publish took 0.3 s: in a CI run the old
        // formula gave a negative wait, the publisher thread died and never published again.
        long slot = 10 * MINUTE;
        assertThat(QueueDepthPublisher.untilNextSlot(slot, MINUTE, slot + MINUTE + 200)).isZero();
        assertThat(QueueDepthPublisher.untilNextSlot(slot, MINUTE, slot + 3 * MINUTE)).isZero();
    }
}
