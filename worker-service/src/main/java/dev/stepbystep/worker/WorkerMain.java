package dev.stepbystep.worker;

import dev.stepbystep.shared.runtime.ServiceLauncher;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the worker image; a failed start ends with a one-line reason. */
@QuarkusMain
public class WorkerMain implements QuarkusApplication {

    public static void main(String... args) {
        ServiceLauncher.run("worker-service", WorkerMain.class, args);
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }
}
