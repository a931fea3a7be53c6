package dev.stepbystep.web.admin;

import dev.stepbystep.shared.config.AppConfig;
import dev.stepbystep.shared.database.DatabaseSecret;
import dev.stepbystep.shared.runtime.ServiceLauncher;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * One-off admin processes (factor XII), run from the web artifact and configuration:
 * {@code java -jar quarkus-run.jar <command> [options]}. Each prints what it did and exits 0, or
 * prints one line saying why and exits non-zero. Arguments are checked before anything starts,
 * so bad arguments touch nothing (exit 2).
 */
@ApplicationScoped
public class AdminCommands {

    static final int USAGE_ERROR = 2;
    static final String USAGE = "commands: migrate | create-database | pre-update | createsuperuser --email EMAIL "
            + "(password from SUPERUSER_PASSWORD or the first line of stdin) | generate-posts --count N (1-100000)";

    /** A parsed command line: the command and its options. */
    public record Invocation(String command, Map<String, String> options) {
    }

    @Inject
    Flyway flyway;

    @Inject
    AppConfig config;

    @Inject
    AdminData data;

    @Inject
    DatabaseSecret databaseSecret;

    /**
     * Runs before Quarkus starts: checks the command line (exit 2 on anything wrong), and keeps
     * the one-off process from binding the HTTP port or validating a schema it may be about to create.
     */
    public static Invocation prepare(String... args) {
        Invocation invocation = parse(List.of(args));
        System.setProperty("quarkus.http.host-enabled", "false");
        System.setProperty("quarkus.hibernate-orm.schema-management.strategy", "none");
        System.setProperty("quarkus.hibernate-orm.database.version-check.enabled", "false");
        System.setProperty("quarkus.flyway.migrate-at-start", "false");
        return invocation;
    }

    public static Invocation parse(List<String> args) {
        String command = args.get(0);
        Map<String, String> options = new java.util.LinkedHashMap<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || i + 1 >= args.size()) {
                usage(command + ": expected --option value, got '" + arg + "'");
            }
            options.put(arg.substring(2), args.get(++i));
        }
        List<String> allowed = switch (command) {
            case "migrate", "create-database", "pre-update" -> List.of();
            case "createsuperuser" -> List.of("email");
            case "generate-posts" -> List.of("count");
            default -> {
                usage("unknown command '" + command + "'; " + USAGE);
                yield List.of();
            }
        };
        for (String key : options.keySet()) {
            if ("password".equals(key)) {
                usage("createsuperuser never takes the password as an argument (it would stay in shell history and process lists); "
                        + "set SUPERUSER_PASSWORD or pipe it on stdin");
            }
            if (!allowed.contains(key)) {
                usage(command + ": unknown option --" + key);
            }
        }
        for (String key : allowed) {
            if (!options.containsKey(key)) {
                usage(command + ": --" + key + " is required");
            }
        }
        if (command.equals("generate-posts") && !options.get("count").matches("[1-9][0-9]{0,5}|100000")) {
            usage("generate-posts: --count must be a whole number from 1 to 100000, got '" + options.get("count") + "'");
        }
        if (command.equals("generate-posts") && Integer.parseInt(options.get("count")) > 100_000) {
            usage("generate-posts: --count must be at most 100000");
        }
        if (command.equals("createsuperuser") && !options.get("email").matches("[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]{1,63}")) {
            usage("createsuperuser: --email must be an email address, got '" + options.get("email") + "'");
        }
        return new Invocation(command, options);
    }

    private static void usage(String reason) {
        System.err.println("web-service: " + reason);
        System.exit(USAGE_ERROR);
    }

    public int run(Invocation invocation) {
        PrintStream out = System.out;
        try {
            switch (invocation.command()) {
                case "migrate" -> migrate(out);
                case "create-database" -> createDatabase(out);
                case "pre-update" -> {
                    createDatabase(out);
                    migrate(out);
                }
                case "createsuperuser" -> {
                    String password = superuserPassword();
                    out.println("createsuperuser: created superuser " + data.createSuperuser(invocation.options().get("email"), password));
                }
                case "generate-posts" -> {
                    int count = Integer.parseInt(invocation.options().get("count"));
                    out.println("generate-posts: created " + data.generatePosts(count) + " post(s)");
                }
                default -> throw new IllegalArgumentException("unknown command " + invocation.command());
            }
            return 0;
        } catch (RuntimeException | SQLException | IOException e) {
            System.err.println("web-service: " + invocation.command() + " failed: " + ServiceLauncher.reason(e));
            return 1;
        }
    }

    private void migrate(PrintStream out) {
        MigrateResult result = flyway.migrate();
        String version = flyway.info().current() == null ? "empty" : flyway.info().current().getVersion().getVersion();
        Log.infof("migrate applied %d migration(s); schema version %s", result.migrationsExecuted, version);
        out.println("migrate: applied " + result.migrationsExecuted + " migration(s); schema at version " + version);
    }

    /**
     * Creates the application database (POSTGRES_NAME, or the secret's dbname) if it does not
     * exist, connecting to the server's "postgres" database with the same credentials as the app.
     */
    private void createDatabase(PrintStream out) throws SQLException {
        DatabaseSecret.Target target = databaseSecret.target();
        String name = target.database();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name '" + name + "' is not a plain identifier; create it by hand");
        }
        String url = "jdbc:postgresql://" + target.host() + ":" + target.port() + "/postgres?connectTimeout=5";
        try (Connection c = DriverManager.getConnection(url, target.username(), target.password());
             var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            if (exists.executeQuery().next()) {
                out.println("create-database: database " + name + " already exists");
                return;
            }
            try (var create = c.createStatement()) {
                create.execute("create database \"" + name + "\"");
            }
            out.println("create-database: created database " + name);
        }
    }

    private static String superuserPassword() throws IOException {
        String password = System.getenv("SUPERUSER_PASSWORD");
        if (password == null || password.isEmpty()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            password = in.readLine();
        }
        if (password == null || password.length() < 8 || password.length() > 128) {
            throw new IllegalArgumentException("the password (SUPERUSER_PASSWORD or stdin) must be 8 to 128 characters");
        }
        return password;
    }
}
