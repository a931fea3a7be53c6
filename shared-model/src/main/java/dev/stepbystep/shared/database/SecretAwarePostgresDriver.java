package dev.stepbystep.shared.database;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The PostgreSQL driver the connection pool uses ({@code quarkus.datasource.jdbc.driver}). With
 * {@code DB_SECRET_NAME} unset it is the plain PostgreSQL driver. With it set, every new
 * physical connection logs in with the credentials (and, when the secret has them, the host, port
 * and database) of the cached secret; when PostgreSQL rejects them, the secret is read again and
 * the connection retried once with what it now holds. That is how a rotation is picked up
 * without a restart: connections already open keep working, and the next ones use the new
 * password. Agroal asks the driver only when it opens a connection, so none of this is on the
 * path of an ordinary query.
 */
public class SecretAwarePostgresDriver implements Driver {

    /** invalid_password, invalid_authorization_specification */
    private static final java.util.Set<String> REJECTED = java.util.Set.of("28P01", "28000");
    private static final String PREFIX = "jdbc:postgresql:";

    private final Driver delegate = new org.postgresql.Driver();

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        DatabaseSecret secret = secret();
        if (secret == null || !secret.enabled()) {
            return delegate.connect(url, info);
        }
        DatabaseCredentials credentials;
        try {
            credentials = secret.current();
        } catch (DatabaseSecretException e) {
            throw new SQLException(e.getMessage(), "08001", e);
        }
        try {
            return delegate.connect(relocate(url, credentials), withLogin(info, credentials));
        } catch (SQLException rejected) {
            if (!REJECTED.contains(rejected.getSQLState())) {
                throw rejected;
            }
            DatabaseCredentials fresh;
            try {
                fresh = secret.reread(credentials);
            } catch (DatabaseSecretException e) {
                rejected.addSuppressed(e);
                throw rejected;
            }
            if (fresh.equals(credentials)) {
                throw rejected;
            }
            return delegate.connect(relocate(url, fresh), withLogin(info, fresh));
        }
    }

    private static DatabaseSecret secret() {
        ArcContainer container = Arc.container();
        return container == null || !container.isRunning() ? null : container.instance(DatabaseSecret.class).get();
    }

    private static Properties withLogin(Properties info, DatabaseCredentials credentials) {
        Properties login = new Properties();
        if (info != null) {
            login.putAll(info);
        }
        credentials.username().ifPresent(u -> login.setProperty("user", u));
        login.setProperty("password", credentials.password());
        return login;
    }

    /** The configured URL with the host, port and database of the secret where it names them. */
    static String relocate(String url, DatabaseCredentials credentials) {
        if (!credentials.hasLocation() || !url.startsWith(PREFIX + "//")) {
            return url;
        }
        String rest = url.substring((PREFIX + "//").length());
        int query = rest.indexOf('?');
        String params = query < 0 ? "" : rest.substring(query);
        String location = query < 0 ? rest : rest.substring(0, query);
        int slash = location.indexOf('/');
        String hostPort = slash < 0 ? location : location.substring(0, slash);
        String database = slash < 0 ? "" : location.substring(slash + 1);
        int colon = hostPort.lastIndexOf(':');
        boolean hasPort = colon > 0 && !hostPort.endsWith("]");
        String host = hasPort ? hostPort.substring(0, colon) : hostPort;
        String port = hasPort ? hostPort.substring(colon + 1) : "5432";
        return PREFIX + "//" + credentials.host().orElse(host) + ":" + credentials.port().map(String::valueOf).orElse(port)
                + "/" + credentials.dbname().orElse(database) + params;
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return delegate.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return delegate.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return delegate.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return delegate.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }
}
