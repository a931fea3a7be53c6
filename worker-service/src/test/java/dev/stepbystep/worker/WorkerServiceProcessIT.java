package dev.stepbystep.worker;

import dev.stepbystep.testing.PackagedServiceContract;

/** The packaged worker-service, run as a process: health, metrics, logs and start-up refusals. */
class WorkerServiceProcessIT extends PackagedServiceContract {
}
