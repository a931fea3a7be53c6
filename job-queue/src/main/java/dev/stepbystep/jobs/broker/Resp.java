package dev.stepbystep.jobs.broker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RESP2 on the wire, for {@link BlockingRedisConnection}: a command as an array of bulk strings,
 * and one reply (simple string, error as {@link BlockingRedisConnection.ErrorReply}, integer,
 * bulk string or null, array), read from a buffered stream.
 */
final class Resp {

    private Resp() {
    }

    static void write(OutputStream out, List<String> args) throws IOException {
        out.write('*');
        writeNumber(out, args.size());
        for (String arg : args) {
            byte[] b = arg.getBytes(StandardCharsets.UTF_8);
            out.write('$');
            writeNumber(out, b.length);
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    private static void writeNumber(OutputStream out, int n) throws IOException {
        out.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    /** One reply; an error reply nested in an array is returned, a top-level one thrown by the caller. */
    static Object read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("Redis closed the connection");
        }
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> new BlockingRedisConnection.ErrorReply(line);
            case ':' -> parseLong(line);
            case '$' -> {
                long n = parseLong(line);
                if (n < 0) {
                    yield null;
                }
                if (n > Integer.MAX_VALUE - 8) {
                    throw new IOException("bulk reply of " + n + " bytes is too large");
                }
                byte[] b = in.readNBytes((int) n);
                if (b.length < n || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("Redis closed the connection mid-reply");
                }
                yield new String(b, StandardCharsets.UTF_8);
            }
            case '*' -> {
                long n = parseLong(line);
                if (n < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>((int) Math.min(n, 1024));
                for (long i = 0; i < n; i++) {
                    items.add(read(in));
                }
                yield items;
            }
            default -> throw new IOException("unexpected reply type '" + (char) type + "' from Redis");
        };
    }

    private static long parseLong(String s) throws IOException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException("malformed reply from Redis: '" + s + "'");
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder(16);
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new EOFException("Redis closed the connection mid-reply");
            }
            s.append((char) c);
        }
        if (in.read() != '\n') {
            throw new IOException("malformed reply from Redis");
        }
        return s.toString();
    }
}
