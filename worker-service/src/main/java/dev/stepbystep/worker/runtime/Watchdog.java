package dev.stepbystep.worker.runtime;

import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * One thread that runs the time-critical checks every {@link #TICK}: jobs past their time limit,
 * a reader whose own job runs long, a read whose reply is overdue. One loop instead of a timer
 * per job, whose scheduling would wake a timer thread on every job start.
 */
final class Watchdog {

    /** A job is interrupted at most this long after its limit. */
    static final Duration TICK = Duration.ofMillis(10);

    private final List<LongConsumer> checks;
    private Thread thread;

    /** Each check gets {@link System#nanoTime()} of the tick. */
    Watchdog(List<LongConsumer> checks) {
        this.checks = List.copyOf(checks);
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("job-time-limits").start(this::loop);
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            for (LongConsumer check : checks) {
                check.accept(now);
            }
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
