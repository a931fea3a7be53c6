package dev.stepbystep.web.auth;

import io.vertx.core.http.HttpServerRequest;

/**
 * The client's address: the last X-Forwarded-For entry (the one our load balancer appended;
 * earlier entries are whatever the client sent, so trusting them would let anyone choose their
 * address), else the socket's peer.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
            if (!last.isEmpty() && last.length() <= 64) {
                return last;
            }
        }
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
