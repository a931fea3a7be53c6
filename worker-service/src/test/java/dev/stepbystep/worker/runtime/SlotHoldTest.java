package dev.stepbystep.worker.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlotHoldTest {

    @Test
    void slotsAreTakenOneByOneAndTheRestGivenBackOnce() {
        SlotHold held = new SlotHold(2);
        assertThat(held.take()).isTrue();
        assertThat(held.take()).isTrue();
        assertThat(held.take()).isFalse();
        held.add();
        held.add();
        assertThat(held.count()).isEqualTo(2);
        assertThat(held.rest()).isEqualTo(2);
        assertThat(held.rest()).isZero();
    }
}
