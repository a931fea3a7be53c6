package dev.stepbystep.web.http;

import dev.stepbystep.shared.config.AppConfig;
import dev.stepbystep.web.WebConfig;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Django's ALLOWED_HOSTS: a request naming a host web does not serve — in {@code Host},
 * {@code X-Forwarded-Host} or {@code Forwarded} — is a 400, so absolute links (a page's
 * {@code next} and {@code previous}) can only point at this service. Allowed: {@code
 * WEB_ALLOWED_HOSTS} (comma-separated; {@code .example.com} allows its subdomains too), else
 * the host of {@code FRONTEND_URL} and the loopback names. Health checks are exempt: load
 * balancers call them by the task's IP address.
 */
@ApplicationScoped
public class AllowedHosts {

    private static final java.util.regex.Pattern PORT = java.util.regex.Pattern.compile("[0-9]{1,5}");
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[a-z0-9.:-]{1,253}");
    private static final int CACHE_MAX = 1024;

    private final List<String> allowed;
    /** Verdicts by the exact header value: a service sees few distinct ones, and this is on every request. */
    private final java.util.Map<String, Boolean> verdicts = new java.util.concurrent.ConcurrentHashMap<>();

    @Inject
    AllowedHosts(WebConfig web, AppConfig app) {
        List<String> hosts = new ArrayList<>();
        web.allowedHosts().orElseGet(() -> List.of(app.frontendUrl().getHost(), "localhost", "127.0.0.1", "::1"))
                .forEach(h -> hosts.add(h.strip().toLowerCase(Locale.ROOT)));
        hosts.removeIf(String::isEmpty);
        this.allowed = List.copyOf(hosts);
    }

    void install(@Observes Filters filters) {
        filters.register(this::check, 300);
    }

    private void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.equals("/api/health-check/") || path.startsWith("/q/health")) {
            ctx.next();
            return;
        }
        HttpServerRequest request = ctx.request();
        for (String named : named(request)) {
            if (!isAllowed(named)) {
                Log.debugf("request for host '%s' refused (not in WEB_ALLOWED_HOSTS)", named.length() > 100 ? named.substring(0, 100) : named);
                ctx.response().setStatusCode(400).putHeader("Content-Type", "application/problem+json")
                        .end("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                                + "\"detail\":\"this service does not answer for the host the request names\"}");
                return;
            }
        }
        ctx.next();
    }

    /** Every host the request names: Host, and each X-Forwarded-Host and Forwarded host=. */
    private static List<String> named(HttpServerRequest request) {
        List<String> hosts = new ArrayList<>();
        String host = request.headers().get("Host");
        if (host != null) {
            hosts.add(host);
        }
        for (String line : request.headers().getAll("X-Forwarded-Host")) {
            for (String h : line.split(",")) {
                hosts.add(h.strip());
            }
        }
        for (String line : request.headers().getAll("Forwarded")) {
            for (String part : line.split("[;,]")) {
                String p = part.strip();
                if (p.regionMatches(true, 0, "host=", 0, 5)) {
                    hosts.add(p.substring(5).replace("\"", ""));
                }
            }
        }
        return hosts;
    }

    boolean isAllowed(String hostAndPort) {
        Boolean known = verdicts.get(hostAndPort);
        if (known != null) {
            return known;
        }
        boolean verdict = decide(hostAndPort);
        if (verdicts.size() < CACHE_MAX) {
            verdicts.put(hostAndPort, verdict);
        }
        return verdict;
    }

    private boolean decide(String hostAndPort) {
        String host = hostName(hostAndPort.toLowerCase(Locale.ROOT));
        if (host == null) {
            return false;
        }
        for (String a : allowed) {
            if (a.equals("*") || a.equals(host) || (a.startsWith(".") && (host.endsWith(a) || host.equals(a.substring(1))))) {
                return true;
            }
        }
        return false;
    }

    /** The host of {@code host[:port]} or {@code [v6][:port]}, or null when it is not one. */
    private static String hostName(String value) {
        String host;
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            if (end < 0) {
                return null;
            }
            host = value.substring(1, end);
            String rest = value.substring(end + 1);
            if (!rest.isEmpty() && !(rest.charAt(0) == ':' && PORT.matcher(rest.substring(1)).matches())) {
                return null;
            }
        } else {
            int colon = value.lastIndexOf(':');
            host = colon >= 0 && value.indexOf(':') == colon ? value.substring(0, colon) : value;
            if (colon >= 0 && value.indexOf(':') == colon && !PORT.matcher(value.substring(colon + 1)).matches()) {
                return null;
            }
        }
        return HOST.matcher(host).matches() ? host : null;
    }
}
