package dev.stepbystep.beat.schedule;

import dev.stepbystep.shared.config.StartupRefusedException;
import dev.stepbystep.jobs.InvalidJobException;
import dev.stepbystep.jobs.PayloadCodec;
import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.shared.tasks.Tasks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns {@link BeatConfig} into validated schedules; an invalid entry stops the service with its name. */
@ApplicationScoped
public class Schedules {

    @Inject
    BeatConfig config;

    @Inject
    PayloadCodec payloads;

    public List<PlannedSchedule> load() {
        List<PlannedSchedule> planned = new ArrayList<>();
        for (Map.Entry<String, BeatConfig.Entry> e : new TreeMap<>(config.schedules()).entrySet()) {
            if (e.getValue().enabled()) {
                try {
                    planned.add(plan(e.getKey(), e.getValue(), payloads));
                } catch (IllegalArgumentException | InvalidJobException ex) {
                    throw new StartupRefusedException("beat schedule '" + e.getKey() + "': " + ex.getMessage());
                }
            }
        }
        return planned;
    }

    static PlannedSchedule plan(String name, BeatConfig.Entry entry, PayloadCodec payloads) {
        if (!name.matches("[A-Za-z0-9_.-]{1,100}")) {
            throw new IllegalArgumentException("names are 1-100 letters, digits, '_', '.' or '-'");
        }
        TaskDefinition<?> task = Tasks.byName(entry.task())
                .orElseThrow(() -> new IllegalArgumentException("unknown task '" + entry.task() + "'"));
        Object payload = payloads.deserialize(task, entry.payload());
        String queueName = KeySchema.checkQueue(entry.queue().orElse(task.defaultQueue()));
        if (entry.every().isPresent() == entry.cron().isPresent()) {
            throw new IllegalArgumentException("set exactly one of 'every' and 'cron'");
        }
        Schedule schedule = entry.every().map(Schedule::every).orElseGet(() -> Schedule.cron(entry.cron().get(), entry.zone()));
        boolean fireMissedOnce = switch (entry.missed()) {
            case "fire-once" -> true;
            case "skip" -> false;
            default -> throw new IllegalArgumentException("missed must be 'fire-once' or 'skip', got '" + entry.missed() + "'");
        };
        return new PlannedSchedule(name, task, payload, queueName, schedule, fireMissedOnce);
    }
}
