package dev.stepbystep.jobs.broker;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where and how to connect, from a Quarkus Redis host URI:
 * {@code redis://[[username]:password@]host[:port][/database]}, or {@code rediss://} for TLS.
 */
public record RedisTarget(String host, int port, boolean tls, Optional<String> username, Optional<String> password, int database) {

    public RedisTarget {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
        if (database < 0) {
            throw new IllegalArgumentException("database " + database + " is negative");
        }
    }

    /**
     * Parses a host URI; {@code username} and {@code password} (the
     * {@code quarkus.redis.username}/{@code password} settings) apply when the URI has none.
     */
    public static RedisTarget parse(URI uri, Optional<String> username, Optional<String> password) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("scheme '" + uri.getScheme() + "' is not supported (use redis:// or rediss://)");
        }
        Optional<String> user = username.filter(s -> !s.isEmpty());
        Optional<String> pass = password.filter(s -> !s.isEmpty());
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                pass = Optional.of(decode(info));
            } else {
                user = Optional.of(decode(info.substring(0, colon))).filter(s -> !s.isEmpty());
                pass = Optional.of(decode(info.substring(colon + 1))).filter(s -> !s.isEmpty());
            }
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("database '" + path.substring(1) + "' is not a number");
            }
        }
        return new RedisTarget(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), scheme.equals("rediss"), user, pass, database);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + host + ":" + port + "/" + database;
    }
}
