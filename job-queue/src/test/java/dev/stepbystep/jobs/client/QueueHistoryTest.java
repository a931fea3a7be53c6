package dev.stepbystep.jobs.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The wait-time bins and the percentiles read from them. */
class QueueHistoryTest {

    @Test
    void eachWaitFallsInTheBinBelowItsUpperBound() {
        assertThat(QueueHistory.bin(0)).isZero();
        assertThat(QueueHistory.bin(1)).isEqualTo(1);
        assertThat(QueueHistory.bin(4)).isEqualTo(2);
        assertThat(QueueHistory.bin(999)).isEqualTo(9);
        assertThat(QueueHistory.bin(60_000)).isEqualTo(QueueHistory.WAIT_BOUNDS_MS.length);
    }

    @Test
    void percentilesAreTheUpperBoundOfTheBinHoldingTheRank() {
        long[] bins = new long[QueueHistory.WAIT_BOUNDS_MS.length + 1];
        bins[QueueHistory.bin(3)] = 90;   // 90 waits of 2-5 ms
        bins[QueueHistory.bin(700)] = 10; // 10 of 500-1000 ms
        assertThat(QueueHistory.percentile(bins, 100, 0.50)).isEqualTo(5);
        assertThat(QueueHistory.percentile(bins, 100, 0.90)).isEqualTo(5);
        assertThat(QueueHistory.percentile(bins, 100, 0.95)).isEqualTo(1_000);
        assertThat(QueueHistory.percentile(new long[bins.length], 0, 0.5)).isEqualTo(-1);
    }

    @Test
    void aTallyCountsByQueueAndMinuteAndEmptiesWhenDrained() {
        QueueHistory.Tally tally = new QueueHistory.Tally();
        tally.record("a", 100, true, 3);
        tally.record("a", 100, false, 3);
        tally.record("b", 100, true, 0);
        var counts = tally.drain();
        assertThat(counts).hasSize(2);
        long[] a = counts.get("a\n100");
        assertThat(a[0]).isEqualTo(1);
        assertThat(a[1]).isEqualTo(1);
        assertThat(a[2 + QueueHistory.bin(3)]).isEqualTo(2);
        assertThat(tally.drain()).isEmpty();
    }
}
