package dev.stepbystep.web;

import dev.stepbystep.testing.PackagedServiceContract;

/** The packaged web-service, run as a process: health, metrics, logs and start-up refusals. */
class WebServiceProcessIT extends PackagedServiceContract {
}
