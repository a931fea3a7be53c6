package dev.stepbystep.beat;

import dev.stepbystep.testing.PackagedServiceContract;

/** The packaged beat-service, run as a process: health, metrics, logs and start-up refusals. */
class BeatServiceProcessIT extends PackagedServiceContract {
}
