package dev.stepbystep.web.accounts;

import java.util.Optional;

/** Numeric ids from paths: anything else is simply not found, never a 500. */
public final class Ids {

    private Ids() {
    }

    public static Optional<Long> parse(String raw) {
        if (raw == null || !raw.matches("[1-9][0-9]{0,17}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(raw));
    }

    public static String abbreviate(String raw) {
        return raw.length() > 24 ? raw.substring(0, 24) + "…" : raw;
    }
}
