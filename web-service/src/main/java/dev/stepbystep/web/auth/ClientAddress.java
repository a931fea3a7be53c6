package dev.stepbystep.web.auth;

import dev.stepbystep.web.WebConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address, as rate limits and the request log see it. Only hops configured in
 * {@code WEB_TRUSTED_PROXIES} (addresses or CIDR blocks, e.g. the ALB's subnets) are believed:
 * when the TCP peer is one of them, {@code X-Forwarded-For} is read from the right, past every
 * trusted hop, to the first address a trusted proxy saw connect. Entries further left are what
 * the client wrote, so rotating them, or sending two, changes nothing. With no trusted proxies
 * (the default) the header is ignored and the TCP peer is the client.
 */
@ApplicationScoped
public class ClientAddress {

    private final List<Cidr> trusted;

    @Inject
    ClientAddress(WebConfig config) {
        this(config.trustedProxies().orElse(List.of()));
    }

    ClientAddress(List<String> trustedProxies) {
        List<Cidr> parsed = new ArrayList<>();
        for (String entry : trustedProxies) {
            if (!entry.isBlank()) {
                parsed.add(Cidr.parse(entry.strip()));
            }
        }
        this.trusted = List.copyOf(parsed);
    }

    public String of(HttpServerRequest request) {
        // The connection's peer: request.remoteAddress() is rewritten from X-Forwarded-For by
        // Quarkus' proxy support (which web keeps on for X-Forwarded-Proto and -Host).
        var socket = request.connection() == null ? null : request.connection().remoteAddress();
        String peer = socket == null ? "unknown" : socket.hostAddress();
        return resolve(peer, request.headers().getAll("X-Forwarded-For"));
    }

    /** {@code peer} and the X-Forwarded-For header lines, in order: the client's address. */
    String resolve(String peer, List<String> forwardedFor) {
        if (trusted.isEmpty() || forwardedFor.isEmpty() || !isTrusted(peer)) {
            return peer; // the common case costs no parsing
        }
        List<String> hops = new ArrayList<>();
        for (String line : forwardedFor) {
            for (String hop : line.split(",")) {
                hops.add(hop.strip());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            InetAddress address = Cidr.literal(hop);
            if (address == null) {
                return client; // not an address: nothing left of it can be believed
            }
            client = address.getHostAddress();
            if (!isTrusted(address)) {
                return client;
            }
        }
        return client;
    }

    private boolean isTrusted(String peer) {
        InetAddress address = Cidr.literal(peer);
        return address != null && isTrusted(address);
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An address block; a plain address is a block of one. */
    record Cidr(byte[] network, int bits) {

        /** Hex digits, dots and colons, with at least one dot or colon: never a host name to look up. */
        private static final java.util.regex.Pattern IP_LITERAL = java.util.regex.Pattern.compile("(?=.*[.:])[0-9A-Fa-f:.]+");

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("web.trusted-proxies: '" + text + "' is not an IP address or CIDR block");
            }
            int max = address.getAddress().length * 8;
            int bits = max;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > max) {
                    throw new IllegalArgumentException("web.trusted-proxies: '" + text + "' has a prefix length outside 0-" + max);
                }
            }
            return new Cidr(address.getAddress(), bits);
        }

        /** The address an IP literal names, or null for anything else (never a DNS lookup). */
        static InetAddress literal(String text) {
            if (text == null || text.isEmpty() || text.length() > 45 || !IP_LITERAL.matcher(text).matches()) {
                return null;
            }
            try {
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                return null;
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
