package dev.stepbystep.web;

import dev.stepbystep.shared.runtime.ServiceLauncher;
import dev.stepbystep.web.admin.AdminCommands;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * Entry point of the web image. With no argument it serves the API; with an admin command as
 * argument (factor XII, e.g. {@code migrate}) it runs that command once and exits, from the same
 * artifact and configuration.
 */
@QuarkusMain
public class WebMain implements QuarkusApplication {

    @Inject
    AdminCommands adminCommands;

    public static void main(String... args) {
        if (args.length > 0) {
            AdminCommands.prepare(args);
        }
        ServiceLauncher.run("web-service", WebMain.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length > 0) {
            return adminCommands.run(AdminCommands.parse(java.util.List.of(args)));
        }
        Quarkus.waitForExit();
        return 0;
    }
}
