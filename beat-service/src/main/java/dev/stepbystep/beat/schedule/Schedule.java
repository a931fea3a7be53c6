package dev.stepbystep.beat.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a schedule fires: its slots. Interval slots are aligned to the epoch (every 10 s fires at
 * :00, :10, …, on every replica alike); cron slots follow the expression in its time zone.
 */
public sealed interface Schedule {

    /** The latest slot at or before {@code now}. */
    Instant previousSlot(Instant now);

    /** The first slot strictly after {@code now}. */
    Instant nextSlot(Instant now);

    String describe();

    static Schedule every(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("every must be positive, got " + interval);
        }
        return new Every(interval.toMillis());
    }

    static Schedule cron(String expression, String zone) {
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + zone + "'");
        }
        try {
            var cron = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX)).parse(expression);
            cron.validate();
            ExecutionTime execution = ExecutionTime.forCron(cron);
            if (execution.nextExecution(ZonedDateTime.now(zoneId)).isEmpty()) {
                throw new IllegalArgumentException("it never fires (no such date)");
            }
            return new Cron(expression, zoneId, execution);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad cron expression '" + expression + "': " + e.getMessage());
        }
    }

    record Every(long millis) implements Schedule {
        @Override
        public Instant previousSlot(Instant now) {
            long t = now.toEpochMilli();
            return Instant.ofEpochMilli(t - Math.floorMod(t, millis));
        }

        @Override
        public Instant nextSlot(Instant now) {
            return previousSlot(now).plusMillis(millis);
        }

        @Override
        public String describe() {
            return "every " + Duration.ofMillis(millis);
        }
    }

    record Cron(String expression, ZoneId zone, ExecutionTime execution) implements Schedule {
        @Override
        public Instant previousSlot(Instant now) {
            ZonedDateTime at = now.atZone(zone);
            // cron-utils' lastExecution is strictly before; a slot exactly at "now" counts as the previous one.
            Optional<ZonedDateTime> next = execution.nextExecution(at.minusNanos(1));
            if (next.isPresent() && !next.get().toInstant().isAfter(now)) {
                return next.get().toInstant();
            }
            return execution.lastExecution(at).map(ZonedDateTime::toInstant).orElse(Instant.EPOCH);
        }

        @Override
        public Instant nextSlot(Instant now) {
            return execution.nextExecution(now.atZone(zone)).map(ZonedDateTime::toInstant)
                    .orElseThrow(() -> new IllegalStateException("cron '" + expression + "' never fires again"));
        }

        @Override
        public String describe() {
            return "cron '" + expression + "' " + zone;
        }
    }
}
