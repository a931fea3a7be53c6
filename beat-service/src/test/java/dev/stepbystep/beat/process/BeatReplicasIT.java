package dev.stepbystep.beat.process;

import dev.stepbystep.testing.BackingServices;
import dev.stepbystep.testing.PackagedService;
import dev.stepbystep.testing.RedisKeys;
import dev.stepbystep.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Several packaged beat processes against one Redis: exactly one job per slot, and no gap when one stops. */
class BeatReplicasIT {

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final String prefix = "beat-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void cleanUp() {
        RedisKeys.deleteAll(services, prefix + ":*");
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(services.asEnvironment());
        env.put("SECRET_KEY", "beat-" + UUID.randomUUID() + UUID.randomUUID());
        env.put("APP_QUEUE_PREFIX", prefix);
        env.put("BEAT_SCHEDULES_CELERY_BEAT_DEBUG_TASK_ENABLED", "false");
        env.put("BEAT_SCHEDULES_TICK_TASK", "core.debug_task");
        env.put("BEAT_SCHEDULES_TICK_EVERY", "1s");
        env.put("BEAT_SCHEDULES_TICK_PAYLOAD", "{\"sleepMs\":0}");
        return env;
    }

    /** Slots (epoch ms) that got a job, from the idempotency keys beat enqueues with, sorted. */
    @SuppressWarnings("unchecked")
    private List<Long> firedSlots(RespClient redis) {
        List<Long> slots = new ArrayList<>();
        String cursor = "0";
        do {
            List<Object> page = (List<Object>) redis.call("SCAN", cursor, "MATCH", prefix + ":idem:beat:tick:*", "COUNT", "1000");
            cursor = (String) page.get(0);
            for (Object key : (List<Object>) page.get(1)) {
                String k = (String) key;
                slots.add(Long.parseLong(k.substring(k.lastIndexOf(':') + 1)));
            }
        } while (!"0".equals(cursor));
        slots.sort(null);
        return slots;
    }

    @Test
    void threeReplicasFireEachOneSecondSlotExactlyOnceAndSurviveLosingOne() {
        try (RespClient redis = RespClient.connect(services);
             PackagedService a = PackagedService.start(env());
             PackagedService b = PackagedService.start(env());
             PackagedService c = PackagedService.start(env())) {
            for (PackagedService beat : List.of(a, b, c)) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .failFast("beat died:\n" + beat.outputText(), () -> !beat.process().isAlive())
                        .until(() -> beat.status("/q/health/ready") == 200);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> firedSlots(redis).size() >= 4);
            a.terminate();
            a.awaitExit(Duration.ofSeconds(20));
            int before = firedSlots(redis).size();
            await().atMost(Duration.ofSeconds(20)).until(() -> firedSlots(redis).size() >= before + 4);

            List<Long> slots = firedSlots(redis);
            for (int i = 1; i < slots.size(); i++) {
                assertThat(slots.get(i) - slots.get(i - 1)).as("consecutive slots, no gap, at %s", slots).isEqualTo(1000);
            }
            long jobs = (Long) redis.call("XLEN", prefix + ":q:default");
            assertThat(jobs).as("exactly one job per slot across three replicas").isEqualTo(slots.size());
            assertThat(b.outputText() + c.outputText()).doesNotContain("ERROR");
        }
    }

    /**
     * A replica that died after taking a slot and before enqueueing it must not cost the slot.
     * What such a replica left behind while claiming and enqueueing were two steps (a claim key
     * per slot, held by an instance that is gone) is written by hand for the coming slots: they
     * fire all the same, once each.
     */
    @Test
    void aSlotTakenByAReplicaThatDiedBeforeEnqueueingStillFiresOnce() {
        try (RespClient redis = RespClient.connect(services);
             PackagedService beat = PackagedService.start(env())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .failFast("beat died:\n" + beat.outputText(), () -> !beat.process().isAlive())
                    .until(() -> beat.status("/q/health/ready") == 200);
            long first = (System.currentTimeMillis() / 1000 + 2) * 1000;
            List<Long> taken = new ArrayList<>();
            for (long slot = first; slot < first + 4000; slot += 1000) {
                redis.call("SET", prefix + ":beat:slot:tick:" + slot, "a-replica-killed-mid-fire", "PX", "600000");
                taken.add(slot);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> firedSlots(redis).stream().anyMatch(s -> s >= first + 5000));
            List<Long> fired = firedSlots(redis);
            // A beat that stalls (a busy CI machine) fires only the latest missed slot, by design:
            // a run of missed slots that reaches past the taken ones is a stall, not a claim that
            // blocked. A run of missed slots made only of taken ones is the bug this test is for.
            List<Long> missedRun = new ArrayList<>();
            for (long slot = first - 1000; slot <= first + 5000; slot += 1000) {
                if (!fired.contains(slot)) {
                    missedRun.add(slot);
                    continue;
                }
                assertThat(missedRun.isEmpty() || !taken.containsAll(missedRun))
                        .as("taken slots %s were never fired (fired: %s)", missedRun, fired).isTrue();
                missedRun.clear();
            }
            long jobs = (Long) redis.call("XLEN", prefix + ":q:default");
            assertThat(jobs).as("one job per slot").isEqualTo(fired.size());
        }
    }

    @Test
    void anInvalidScheduleStopsBeatAtStartNamingTheEntry() {
        Map<String, String> env = env();
        env.put("BEAT_SCHEDULES_BROKEN_TASK", "core.debug_task");
        env.put("BEAT_SCHEDULES_BROKEN_CRON", "61 * * * *");
        try (PackagedService beat = PackagedService.start(env)) {
            assertThat(beat.awaitExit(Duration.ofSeconds(30))).isNotZero();
            List<String> out = beat.output();
            assertThat(out.get(out.size() - 1)).contains("beat-service: cannot start").contains("beat schedule 'broken'").contains("61 * * * *");
        }
    }
}
