package dev.stepbystep.worker.handlers;

import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.BeatDebug;
import dev.stepbystep.worker.runtime.JobContext;
import dev.stepbystep.worker.runtime.JobHandler;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code core.celery_beat_debug_task}: logs the time its schedule fired, as the seed's task did. */
@ApplicationScoped
public class BeatDebugHandler implements JobHandler<BeatDebug> {

    @Override
    public TaskDefinition<BeatDebug> task() {
        return Tasks.BEAT_DEBUG;
    }

    @Override
    public Object handle(BeatDebug payload, JobContext context) {
        Log.infof("beat debug task: schedule=%s fired_at=%s job=%s", payload.schedule(), payload.firedAt(), context.jobId());
        return null;
    }
}
