package dev.stepbystep.web.admin;

import dev.stepbystep.shared.runtime.ServiceLauncher;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Set;

/**
 * One-off admin processes (factor XII), run from the web artifact: {@code java -jar
 * quarkus-run.jar migrate}. Each prints what it did and exits 0, or prints a one-line reason
 * and exits non-zero.
 */
@ApplicationScoped
public class AdminCommands {

    static final Set<String> COMMANDS = Set.of("migrate");
    static final int USAGE_ERROR = 2;

    @Inject
    Flyway flyway;

    /**
     * Runs before Quarkus starts: rejects unknown commands without touching anything, and keeps a
     * one-off process from binding the HTTP port or checking a schema it may be about to create.
     */
    public static void prepare(String... args) {
        if (!COMMANDS.contains(args[0])) {
            System.err.println("web-service: unknown command '" + args[0] + "'; commands: " + String.join(", ", COMMANDS.stream().sorted().toList()));
            System.exit(USAGE_ERROR);
        }
        if (args.length > 1) {
            System.err.println("web-service: " + args[0] + " takes no arguments, got: " + String.join(" ", Arrays.copyOfRange(args, 1, args.length)));
            System.exit(USAGE_ERROR);
        }
        System.setProperty("quarkus.http.host-enabled", "false");
        System.setProperty("quarkus.hibernate-orm.schema-management.strategy", "none");
        System.setProperty("quarkus.flyway.migrate-at-start", "false");
    }

    public int run(String... args) {
        PrintStream out = System.out;
        try {
            return switch (args[0]) {
                case "migrate" -> migrate(out);
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            };
        } catch (RuntimeException e) {
            System.err.println("web-service: " + args[0] + " failed: " + ServiceLauncher.reason(e));
            return 1;
        }
    }

    private int migrate(PrintStream out) {
        MigrateResult result = flyway.migrate();
        String version = flyway.info().current() == null ? "empty" : flyway.info().current().getVersion().getVersion();
        Log.infof("migrate applied %d migration(s); schema version %s", result.migrationsExecuted, version);
        out.println("migrate: applied " + result.migrationsExecuted + " migration(s); schema at version " + version);
        return 0;
    }
}
