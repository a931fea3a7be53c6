package dev.stepbystep.web;

import dev.stepbystep.web.errors.ApiException;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/** DRF's limit/offset page: {@code {count, next, previous, results}} with absolute next/previous links. */
public record PageJson<T>(long count, String next, String previous, List<T> results) {

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    /** Parsed and checked {@code ?limit=&offset=}. */
    public record Window(int limit, int offset) {

        public static Window parse(String limit, String offset) {
            return new Window(number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT), number("offset", offset, 0, 0, Integer.MAX_VALUE - MAX_LIMIT));
        }

        private static int number(String name, String raw, int fallback, int min, int max) {
            if (raw == null || raw.isEmpty()) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(raw);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw ApiException.badRequest(name + ": must be a whole number from " + min + " to " + max + ", got '" + abbreviate(raw) + "'");
        }

        private static String abbreviate(String s) {
            return s.length() > 20 ? s.substring(0, 20) + "…" : s;
        }
    }

    public static <T> PageJson<T> of(List<T> results, long count, Window w, UriInfo uri) {
        String next = w.offset() + w.limit() < count
                ? uri.getRequestUriBuilder().replaceQueryParam("limit", w.limit()).replaceQueryParam("offset", w.offset() + w.limit()).build().toString()
                : null;
        String previous = null;
        if (w.offset() > 0) {
            var b = uri.getRequestUriBuilder().replaceQueryParam("limit", w.limit());
            int prev = Math.max(0, Math.min(w.offset() - w.limit(), (int) Math.max(0, count - w.limit())));
            previous = (prev == 0 ? b.replaceQueryParam("offset") : b.replaceQueryParam("offset", prev)).build().toString();
        }
        return new PageJson<>(count, next, previous, results);
    }
}
