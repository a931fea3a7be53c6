package dev.stepbystep.web.api;

import dev.stepbystep.jobs.broker.Delivery;
import dev.stepbystep.jobs.broker.Outcome;
import dev.stepbystep.jobs.broker.StartedJob;
import dev.stepbystep.jobs.broker.WorkerBroker;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** No worker runs in web's tests: this plays one whose attempt fails for good, leaving a dead job. */
public final class DeadJobs {

    private DeadJobs() {
    }

    /** Enqueues a job on {@code queue} with no retries, runs it as "test-worker" and records {@code error}; returns its id. */
    public static String killedJob(JobQueue jobs, WorkerBroker broker, String queue, String error) {
        String id = jobs.enqueue(Tasks.DEBUG, DebugSleep.noop(), EnqueueOptions.defaults().queue(queue).maxRetries(0)).jobId();
        broker.ensureGroup(queue);
        List<Delivery> delivered;
        try (var connection = broker.openReadConnection()) {
            delivered = broker.read(connection, List.of(queue), "test-worker", 10, Duration.ofMillis(100));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<StartedJob> started = broker.start(queue, "test-worker", delivered);
        broker.finish(queue, started.stream().map(j -> new Outcome(j, Outcome.Kind.DEAD, error, 0)).toList());
        return id;
    }
}
