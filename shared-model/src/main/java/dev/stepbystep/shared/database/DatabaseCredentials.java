package dev.stepbystep.shared.database;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a database secret holds: the password, and optionally the user name and location, as an
 * RDS secret does ({@code {"username","password","host","port","dbname",...}}). Fields the
 * secret does not hold come from the {@code POSTGRES_*} variables.
 *
 * <p>{@link #toString()} never shows the password, so a log line or an exception message that
 * prints one of these by mistake leaks nothing.
 */
public record DatabaseCredentials(Optional<String> username, String password, Optional<String> host,
                                  Optional<Integer> port, Optional<String> dbname) {

    public DatabaseCredentials {
        Objects.requireNonNull(password, "password");
    }

    public static DatabaseCredentials passwordOnly(String password) {
        return new DatabaseCredentials(Optional.empty(), password, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The names of the fields present, for log lines ("password, username, host"). */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>(List.of("password"));
        username.ifPresent(u -> names.add("username"));
        host.ifPresent(h -> names.add("host"));
        port.ifPresent(p -> names.add("port"));
        dbname.ifPresent(d -> names.add("dbname"));
        return names;
    }

    /** True when the secret says where the database is, not only how to log in. */
    public boolean hasLocation() {
        return host.isPresent() || port.isPresent() || dbname.isPresent();
    }

    @Override
    public String toString() {
        return "DatabaseCredentials" + fieldNames() + " (values hidden)";
    }
}
