package dev.stepbystep.worker.runtime;

import dev.stepbystep.jobs.TaskDefinition;

/**
 * Runs one task. Implement it in an {@code @ApplicationScoped} bean and the worker dispatches
 * jobs of {@link #task()} to it. A handler is called on its own virtual thread, may block, must
 * give up when interrupted (time limit, shutdown), and should be idempotent per job id: a job is
 * delivered at least once.
 *
 * @param <P> the payload type of the task
 */
public interface JobHandler<P> {

    TaskDefinition<P> task();

    /** Does the work; the return value (JSON-serializable, may be null) becomes the job's result. */
    Object handle(P payload, JobContext context) throws Exception;
}
