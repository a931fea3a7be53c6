package dev.stepbystep.jobs.broker;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One plain blocking Redis connection (RESP2), for the worker's job fetch: the thread that reads
 * a job off it can run that job at once, where a reply arriving on an event loop costs another
 * thread wake-up first (a tenth of a millisecond on a small machine). Not thread-safe: one owner
 * at a time. Everything else talks to Redis through the Quarkus client.
 *
 * <p>Replies are {@link String} (simple and bulk strings), {@link Long}, {@link List} and null; an
 * error reply throws {@link ErrorReply} and leaves the connection usable, an I/O failure throws
 * {@link IOException} and leaves it to be closed. {@link #send} pipelines a command whose reply
 * goes to a callback: it is read, in order, before the reply of the next {@link #call}, or by
 * {@link #drain}.
 */
public final class BlockingRedisConnection implements AutoCloseable {

    /** A Redis error reply (the connection stays in step). */
    public static final class ErrorReply extends RuntimeException {
        public ErrorReply(String message) {
            super(message);
        }
    }

    /** Receives the reply of a {@link #send}: a reply (an error reply as {@link ErrorReply}), or the failure. */
    public interface Callback {
        void reply(Object reply);

        void failed(IOException failure);
    }

    private final Socket socket;
    /** The TCP socket (under TLS, if any): closing it ends a blocked read at once. */
    private final Socket tcp;
    private final OutputStream out;
    private final InputStream in;
    private final ArrayDeque<Callback> pending = new ArrayDeque<>();
    /** See {@link #abortIfOverdue}. */
    private boolean watched;
    /** When the reply being waited for is overdue (System.nanoTime()); 0 when not waiting. */
    private volatile long deadlineNanos;
    private volatile boolean aborted;

    private BlockingRedisConnection(Socket socket, Socket tcp) throws IOException {
        this.socket = socket;
        this.tcp = tcp;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /** Connects, authenticates and selects the database, each within {@code timeout}. */
    public static BlockingRedisConnection open(RedisTarget target, Duration timeout) throws IOException {
        return open(target, timeout, false);
    }

    /**
     * Like {@link #open(RedisTarget, Duration)}; with {@code watched}, waits for replies block without
     * a socket timeout, and the caller must call {@link #abortIfOverdue} every now and then to
     * end a wait past its timeout. On Linux a thread blocked in a plain read wakes about a tenth
     * of a millisecond sooner than one waiting with a timeout (which polls, then reads).
     */
    public static BlockingRedisConnection open(RedisTarget target, Duration timeout, boolean watched) throws IOException {
        return open(target, timeout, watched, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** Like {@link #open(RedisTarget, Duration, boolean)}, with TLS (for {@code rediss://}) from {@code tls}. */
    public static BlockingRedisConnection open(RedisTarget target, Duration timeout, boolean watched, SSLSocketFactory tls)
            throws IOException {
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Socket plain = new Socket();
        Socket socket = plain;
        try {
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            plain.connect(new InetSocketAddress(target.host(), target.port()), ms);
            if (target.tls()) {
                SSLSocket secure = (SSLSocket) tls.createSocket(plain, target.host(), target.port(), true);
                SSLParameters params = secure.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (!target.host().matches("[0-9.:\\[\\]]+")) {
                    params.setServerNames(List.of(new SNIHostName(target.host())));
                }
                secure.setSSLParameters(params);
                secure.setSoTimeout(ms);
                socket = secure;
                secure.startHandshake();
            }
            BlockingRedisConnection c = new BlockingRedisConnection(socket, plain);
            if (target.password().isPresent()) {
                if (target.username().isPresent()) {
                    c.call(timeout, List.of("AUTH", target.username().get(), target.password().get()));
                } else {
                    c.call(timeout, List.of("AUTH", target.password().get()));
                }
            }
            if (target.database() != 0) {
                c.call(timeout, List.of("SELECT", Integer.toString(target.database())));
            }
            c.watched = watched;
            return c;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends one command and waits up to {@code timeout} for its reply (reading the replies of
     * earlier {@link #send}s first).
     */
    public Object call(Duration timeout, List<String> args) throws IOException {
        Resp.write(out, args);
        Object reply;
        startWait(timeout);
        try {
            while (!pending.isEmpty()) {
                Object earlier = readOrFail(timeout);
                pending.poll().reply(earlier);
            }
            reply = readOrFail(timeout);
        } finally {
            deadlineNanos = 0;
        }
        if (reply instanceof ErrorReply error) {
            throw new ErrorReply(error.getMessage());
        }
        return reply;
    }

    /** Sends one command without waiting; its reply goes to {@code callback} when read. */
    public void send(List<String> args, Callback callback) throws IOException {
        try {
            Resp.write(out, args);
        } catch (IOException e) {
            callback.failed(e);
            throw e;
        }
        pending.add(callback);
    }

    /** Whether replies of {@link #send}s are still to be read. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Reads the replies of earlier {@link #send}s, waiting up to {@code timeout} for them. */
    public void drain(Duration timeout) throws IOException {
        startWait(timeout);
        try {
            while (!pending.isEmpty()) {
                Object reply = readOrFail(timeout);
                pending.poll().reply(reply);
            }
        } finally {
            deadlineNanos = 0;
        }
    }

    /**
     * For a watched connection: closes it when the reply waited for is overdue, which ends the
     * wait with an {@link IOException}. Safe to call from any thread; true when it closed.
     */
    public boolean abortIfOverdue(long nowNanos) {
        long deadline = deadlineNanos;
        if (deadline != 0 && nowNanos - deadline > 0) {
            aborted = true;
            try {
                tcp.close();
            } catch (IOException ignored) {
                // closed anyway
            }
            return true;
        }
        return false;
    }

    private void startWait(Duration timeout) throws IOException {
        if (watched) {
            socket.setSoTimeout(0);
            deadlineNanos = System.nanoTime() + timeout.toNanos();
        } else {
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        }
    }

    /** Reads one reply; an I/O failure also fails every pending callback (their replies are lost). */
    private Object readOrFail(Duration timeout) throws IOException {
        try {
            return Resp.read(in);
        } catch (IOException failure) {
            IOException e = aborted ? new IOException("no reply from Redis within " + timeout.toMillis() + " ms", failure) : failure;
            Callback c;
            while ((c = pending.poll()) != null) {
                c.failed(e);
            }
            throw e;
        }
    }

    /** Closes the connection; replies still pending are lost, and their callbacks told so. */
    @Override
    public void close() {
        Callback c;
        while ((c = pending.poll()) != null) {
            c.failed(new IOException("connection closed before the reply was read"));
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
