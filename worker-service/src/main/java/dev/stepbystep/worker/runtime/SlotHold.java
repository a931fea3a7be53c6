package dev.stepbystep.worker.runtime;

/** The slots one read holds: each job started takes one (its thread gives it back), the read releases the rest. */
final class SlotHold {

    private int count;

    SlotHold(int count) {
        this.count = count;
    }

    int count() {
        return count;
    }

    boolean take() {
        if (count == 0) {
            return false;
        }
        count--;
        return true;
    }

    void add() {
        count++;
    }

    /** Gives up the slots not taken; returns how many. */
    int rest() {
        int left = count;
        count = 0;
        return left;
    }
}
