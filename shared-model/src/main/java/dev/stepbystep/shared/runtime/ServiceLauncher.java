package dev.stepbystep.shared.runtime;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Starts a service and, when it cannot start, ends the process with exit code 1 and one line on
 * stderr that says why, after Quarkus' own log of the failure. Operators (and ECS) read the
 * last line; a stack trace of forty frames should not hide the reason.
 */
public final class ServiceLauncher {

    private ServiceLauncher() {
    }

    public static void run(String service, Class<? extends QuarkusApplication> application, String... args) {
        Quarkus.run(application, (exitCode, failure) -> {
            if (failure != null) {
                System.err.println(service + ": cannot start: " + reason(failure));
                System.exit(exitCode == 0 ? 1 : exitCode);
            }
            System.exit(exitCode);
        }, args);
    }

    /**
     * The most useful message of a failure chain, on one line: the innermost database error if
     * there is one (it names host and port, where its socket-level cause says only "Connection
     * refused"), else the innermost message.
     */
    public static String reason(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            if (t instanceof dev.stepbystep.shared.database.DatabaseSecretException) {
                return t.getMessage() + " (check DB_SECRET_NAME, AWS_REGION, AWS_ENDPOINT_URL and the task's IAM role)";
            }
        }
        Throwable best = null;
        for (Throwable t : chain) {
            if (hasMessage(t) && (best == null || !(best instanceof SQLException) || t instanceof SQLException)) {
                best = t;
            }
        }
        if (best == null) {
            return failure.getClass().getName();
        }
        return redactCredentials(describe(best, best.getMessage().strip().replaceAll("\\s*\\R\\s*", " ")));
    }

    /**
     * Hides the user info of URIs quoted in a message (config converters quote a value they
     * refuse, e.g. {@code quarkus.redis.hosts=redis://user:password@...}): logs are no place for it.
     */
    static String redactCredentials(String message) {
        return message.replaceAll("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s\"]+@", "$1***@");
    }

    private static boolean hasMessage(Throwable t) {
        return t.getMessage() != null && !t.getMessage().isBlank();
    }

    private static String describe(Throwable t, String message) {
        String type = t.getClass().getName().toLowerCase(Locale.ROOT);
        if (t instanceof SQLException || type.contains("postgres")) {
            return "PostgreSQL: " + message + " (check POSTGRES_SERVICE_HOST, POSTGRES_SERVICE_PORT, POSTGRES_NAME, POSTGRES_USERNAME)";
        }
        if (type.contains("redis")) {
            return "Redis: " + message + " (check REDIS_SERVICE_HOST, REDIS_SERVICE_PORT)";
        }
        return message;
    }
}
