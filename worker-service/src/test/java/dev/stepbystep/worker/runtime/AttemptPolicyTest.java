package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.broker.Outcome;
import dev.stepbystep.jobs.broker.StartedJob;
import dev.stepbystep.jobs.TaskDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The retry/dead decision alone: no Redis, no clock but the one passed in. */
class AttemptPolicyTest {

    private static final TaskDefinition<String> TASK = new TaskDefinition<>("t.task", String.class, "default", 3,
            Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(60));

    private static StartedJob attempt(int n) {
        return new StartedJob("default", "1-0", "00000000-0000-0000-0000-000000000001", n, "t.task", "\"x\"", 3, 10_000, 0);
    }

    @Test
    void aJobOfNoKnownTaskIsDeadBeforeItRuns() {
        Outcome o = AttemptPolicy.refusal(attempt(1), false);
        assertThat(o.kind()).isEqualTo(Outcome.Kind.DEAD);
        assertThat(o.data()).contains("unknown task 't.task'");
    }

    @Test
    void aJobDeliveredMoreOftenThanItsBudgetIsDeadItKillsItsWorker() {
        assertThat(AttemptPolicy.refusal(attempt(4), true)).isNull(); // 3 retries: attempts 1..4 run
        Outcome o = AttemptPolicy.refusal(attempt(5), true);
        assertThat(o.kind()).isEqualTo(Outcome.Kind.DEAD);
        assertThat(o.data()).contains("delivered 5 times");
    }

    @Test
    void aFailureWithRetriesLeftIsRetriedWithinTheJitteredBackoff() {
        long now = 1_000_000;
        assertThat(AttemptPolicy.failure(attempt(1), TASK, "boom", false, now, 0.0).retryAtMs()).isEqualTo(now);
        Outcome first = AttemptPolicy.failure(attempt(1), TASK, "boom", false, now, 0.999);
        assertThat(first.kind()).isEqualTo(Outcome.Kind.RETRY);
        assertThat(first.retryAtMs() - now).isBetween(1_990L, 2_000L); // base 2 s
        assertThat(AttemptPolicy.failure(attempt(3), TASK, "boom", false, now, 0.999).retryAtMs() - now).isBetween(7_980L, 8_000L);
        assertThat(AttemptPolicy.failure(attempt(3), TASK, "boom", false, now, 0.5).data()).isEqualTo("boom");
    }

    @Test
    void theLastAttemptOrAPermanentFailureIsDead() {
        assertThat(AttemptPolicy.failure(attempt(4), TASK, "boom", false, 0, 0.5).kind()).isEqualTo(Outcome.Kind.DEAD);
        assertThat(AttemptPolicy.failure(attempt(1), TASK, "bad input", true, 0, 0.5).kind()).isEqualTo(Outcome.Kind.DEAD);
    }

    @Test
    void anErrorIsDescribedByTypeMessageAndTheHeadOfItsStack() {
        String d = AttemptPolicy.describe(new IllegalStateException("x".repeat(5000)));
        assertThat(d).startsWith("java.lang.IllegalStateException: xxx").hasSize(4000);
        String short_ = AttemptPolicy.describe(new IllegalArgumentException("nope"));
        assertThat(short_.lines().count()).isEqualTo(6); // the message and five frames
        assertThat(AttemptPolicy.firstLine(short_)).isEqualTo("java.lang.IllegalArgumentException: nope");
        assertThat(AttemptPolicy.firstLine(null)).isEmpty();
    }
}
