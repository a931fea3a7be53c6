package dev.stepbystep.jobs.client;

import dev.stepbystep.jobs.TaskDefinition;

import java.util.Objects;

/** One job of a {@link JobQueue#enqueueAll bulk enqueue}: the task, its payload and per-job options. */
public record JobRequest<P>(TaskDefinition<P> task, P payload, EnqueueOptions options) {

    public JobRequest {
        Objects.requireNonNull(task, "task");
        options = options == null ? EnqueueOptions.defaults() : options;
    }

    public static <P> JobRequest<P> of(TaskDefinition<P> task, P payload) {
        return new JobRequest<>(task, payload, EnqueueOptions.defaults());
    }

    public static <P> JobRequest<P> of(TaskDefinition<P> task, P payload, EnqueueOptions options) {
        return new JobRequest<>(task, payload, options);
    }
}
