package dev.stepbystep.jobs.broker;


import dev.stepbystep.testing.BackingServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The worker's blocking read connection, against the real Redis. */
class BlockingRedisConnectionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String key = BackingServices.QUEUE_PREFIX + ":conn-test:" + UUID.randomUUID();
    private BackingServices.Endpoints redis;
    private BlockingRedisConnection admin;

    @BeforeEach
    void connect() throws IOException {
        redis = BackingServices.locate();
        admin = BlockingRedisConnection.open(target(Optional.empty(), Optional.empty()), TIMEOUT);
    }

    @AfterEach
    void cleanUp() throws IOException {
        admin.call(TIMEOUT, List.of("DEL", key));
        admin.close();
    }

    private RedisTarget target(Optional<String> user, Optional<String> password) {
        return new RedisTarget(redis.redisHost(), redis.redisPort(), false, user, password, 0);
    }

    private interface Wait {
        void run() throws Exception;
    }

    /**
     * Runs {@code wait} on a thread of its own while this one aborts the connection's overdue
     * waits, as the worker's watchdog does; returns what the wait threw (null if nothing).
     */
    private static Throwable whileWatching(BlockingRedisConnection connection, Wait wait) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                wait.run();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            connection.abortIfOverdue(System.nanoTime());
            return outcome.isDone();
        });
        return outcome.join();
    }

    /** A callback handing the reply, or the failure, to {@code sink}. */
    private static BlockingRedisConnection.Callback into(Consumer<Object> sink) {
        return new BlockingRedisConnection.Callback() {
            @Override
            public void reply(Object reply) {
                sink.accept(reply);
            }

            @Override
            public void failed(IOException failure) {
                sink.accept(failure);
            }
        };
    }

    @Test
    void hostUrisAreReadLikeTheQuarkusClientReadsThem() {
        var plain = RedisTarget.parse(URI.create("redis://cache.internal"), Optional.empty(), Optional.empty());
        assertThat(plain).isEqualTo(new RedisTarget("cache.internal", 6379, false, Optional.empty(), Optional.empty(), 0));

        var full = RedisTarget.parse(URI.create("rediss://app:p%40ss@cache.internal:6380/2"), Optional.empty(), Optional.empty());
        assertThat(full).isEqualTo(new RedisTarget("cache.internal", 6380, true, Optional.of("app"), Optional.of("p@ss"), 2));

        var passwordOnly = RedisTarget.parse(URI.create("redis://:secret@h:1"), Optional.of("ignored"), Optional.empty());
        assertThat(passwordOnly.username()).isEmpty();
        assertThat(passwordOnly.password()).contains("secret");

        var fromSettings = RedisTarget.parse(URI.create("redis://h"), Optional.of("u"), Optional.of("pw"));
        assertThat(fromSettings.username()).contains("u");
        assertThat(fromSettings.password()).contains("pw");

        assertThatThrownBy(() -> RedisTarget.parse(URI.create("unix:///tmp/redis.sock"), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme 'unix' is not supported");
        assertThatThrownBy(() -> RedisTarget.parse(URI.create("redis://h/zero"), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database 'zero' is not a number");
        assertThatThrownBy(() -> RedisTarget.parse(URI.create("redis:///0"), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host");
    }

    @Test
    void theWorkersReadConnectionGoesToTheFirstConfiguredHostAndErrorsNeverQuoteTheUri() {
        WorkerBroker broker = new WorkerBroker();
        broker.username = Optional.empty();
        broker.password = Optional.of("from-settings");
        broker.hosts = "redis://cache-a:6390/1, redis://cache-b:6379";
        assertThat(broker.readTarget()).isEqualTo(new RedisTarget("cache-a", 6390, false, Optional.empty(),
                Optional.of("from-settings"), 1));

        broker.hosts = "redis://user:hunter2@bad host:6379";
        assertThatThrownBy(broker::readTarget).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("quarkus.redis.hosts: not a URI").hasMessageNotContaining("hunter2");
        broker.hosts = "sentinel://user:hunter2@h:26379";
        assertThatThrownBy(broker::readTarget).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quarkus.redis.hosts: scheme 'sentinel' is not supported (use redis:// or rediss://)");
    }

    @Test
    void repliesOfEveryTypeComeBackAsJavaValues() throws IOException {
        assertThat(admin.call(TIMEOUT, List.of("PING"))).isEqualTo("PONG");
        assertThat(admin.call(TIMEOUT, List.of("RPUSH", key, "a", "ünïcode", ""))).isEqualTo(3L);
        assertThat(admin.call(TIMEOUT, List.of("LRANGE", key, "0", "-1"))).isEqualTo(List.of("a", "ünïcode", ""));
        assertThat(admin.call(TIMEOUT, List.of("GET", key + ":missing"))).isNull();
    }

    @Test
    void anErrorReplyThrowsAndLeavesTheConnectionUsable() throws IOException {
        assertThatThrownBy(() -> admin.call(TIMEOUT, List.of("NOSUCHCOMMAND")))
                .isInstanceOf(BlockingRedisConnection.ErrorReply.class).hasMessageContaining("unknown command");
        assertThat(admin.call(TIMEOUT, List.of("PING"))).isEqualTo("PONG");
    }

    @Test
    void pipelinedRepliesAreReadInOrderBeforeTheNextCallsReply() throws IOException {
        List<Object> replies = new ArrayList<>();
        BlockingRedisConnection.Callback collect = into(replies::add);
        admin.send(List.of("RPUSH", key, "x"), collect);
        admin.send(List.of("LPOP", key + ":not-a-list", "oops", "too-many"), collect);
        admin.send(List.of("RPUSH", key, "y"), collect);
        assertThat(admin.hasPending()).isTrue();

        assertThat(admin.call(TIMEOUT, List.of("LRANGE", key, "0", "-1"))).isEqualTo(List.of("x", "y"));

        assertThat(admin.hasPending()).isFalse();
        assertThat(replies).hasSize(3);
        assertThat(replies.get(0)).isEqualTo(1L);
        assertThat(replies.get(1)).isInstanceOf(BlockingRedisConnection.ErrorReply.class);
        assertThat(replies.get(2)).isEqualTo(2L);
    }

    @Test
    void aWatchedWaitPastItsTimeoutIsEndedByAbortAndFailsPendingReplies() throws Exception {
        BlockingRedisConnection watched = BlockingRedisConnection.open(target(Optional.empty(), Optional.empty()), TIMEOUT, true);
        CompletableFuture<Object> pending = new CompletableFuture<>();
        watched.send(List.of("PING"), into(pending::complete));
        watched.drain(TIMEOUT);
        assertThat(pending.get(1, TimeUnit.SECONDS)).isEqualTo("PONG");
        assertThat(watched.abortIfOverdue(System.nanoTime() + TimeUnit.HOURS.toNanos(1))).as("nothing waited for").isFalse();

        // Blocks in Redis for 10 s, longer than the 300 ms this wait allows; its reply is pending.
        CompletableFuture<Object> blpop = new CompletableFuture<>();
        watched.send(List.of("BLPOP", key, "10"), into(blpop::complete));
        long start = System.nanoTime();
        Throwable failure = whileWatching(watched, () -> watched.drain(Duration.ofMillis(300)));

        assertThat(failure).isInstanceOf(IOException.class).hasMessageContaining("no reply from Redis within 300 ms");
        assertThat(blpop.get(1, TimeUnit.SECONDS)).as("the pending callback is told").isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        watched.close();
    }

    @Test
    void credentialsAreSentAndAWrongPasswordIsRefusedWithRedisReason() throws IOException {
        String user = "conn-test-" + UUID.randomUUID().toString().substring(0, 8);
        admin.call(TIMEOUT, List.of("ACL", "SETUSER", user, "on", ">right-password", "~*", "+@all"));
        try {
            try (var c = BlockingRedisConnection.open(target(Optional.of(user), Optional.of("right-password")), TIMEOUT)) {
                assertThat(c.call(TIMEOUT, List.of("ACL", "WHOAMI"))).isEqualTo(user);
            }
            assertThatThrownBy(() -> BlockingRedisConnection.open(target(Optional.of(user), Optional.of("wrong")), TIMEOUT))
                    .isInstanceOf(BlockingRedisConnection.ErrorReply.class).hasMessageContaining("WRONGPASS");
        } finally {
            admin.call(TIMEOUT, List.of("ACL", "DELUSER", user));
        }
    }

    @Test
    void theDatabaseIsSelected() throws IOException {
        try (var c = BlockingRedisConnection.open(new RedisTarget(redis.redisHost(), redis.redisPort(), false,
                Optional.empty(), Optional.empty(), 3), TIMEOUT)) {
            c.call(TIMEOUT, List.of("SET", key, "in-db-3"));
            try {
                assertThat(admin.call(TIMEOUT, List.of("GET", key))).as("database 0").isNull();
                assertThat(c.call(TIMEOUT, List.of("GET", key))).isEqualTo("in-db-3");
            } finally {
                c.call(TIMEOUT, List.of("DEL", key));
            }
        }
    }

    /**
     * rediss:// as on ElastiCache (TLS in transit), through a TLS-terminating proxy in front of
     * the real Redis, with a self-signed certificate for "localhost" made by keytool.
     */
    @Test
    void tlsConnectionsCheckTheCertificateAndTheHostName(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("redis.p12");
        String keytool = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "redis", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(new String(p.getInputStream().readAllBytes())).isTrue();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        try (ServerSocket proxy = serverTls.getServerSocketFactory().createServerSocket(0, 16, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofPlatform().daemon().start(() -> {
                while (!proxy.isClosed()) {
                    try {
                        Socket client = proxy.accept();
                        Socket upstream = new Socket(redis.redisHost(), redis.redisPort());
                        Thread.ofPlatform().daemon().start(() -> pump(client, upstream));
                        Thread.ofPlatform().daemon().start(() -> pump(upstream, client));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            int port = proxy.getLocalPort();
            var trusted = new RedisTarget("localhost", port, true, Optional.empty(), Optional.empty(), 0);
            try (var c = BlockingRedisConnection.open(trusted, TIMEOUT, true, clientTls.getSocketFactory())) {
                assertThat(c.call(TIMEOUT, List.of("PING"))).isEqualTo("PONG");
                // A watched wait over TLS ends when aborted, as over plain TCP.
                Throwable failure = whileWatching(c, () -> c.call(Duration.ofMillis(200), List.of("BLPOP", key, "10")));
                assertThat(failure).isInstanceOf(IOException.class).hasMessageContaining("no reply from Redis within 200 ms");
            }
            var wrongName = new RedisTarget("127.0.0.1", port, true, Optional.empty(), Optional.empty(), 0);
            assertThatThrownBy(() -> BlockingRedisConnection.open(wrongName, TIMEOUT, false, clientTls.getSocketFactory()))
                    .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("127.0.0.1");
            assertThatThrownBy(() -> BlockingRedisConnection.open(trusted, TIMEOUT, false, (SSLSocketFactory) SSLSocketFactory.getDefault()))
                    .as("a certificate the JVM does not trust").isInstanceOf(SSLHandshakeException.class);
        }
    }

    private static void pump(Socket from, Socket to) {
        try (from; to) {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ignored) {
            // one side closed: close both
        }
    }

    @Test
    void anUnreachableRedisFailsWithinTheTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> BlockingRedisConnection.open(new RedisTarget("127.0.0.1", 1, false,
                Optional.empty(), Optional.empty(), 0), Duration.ofSeconds(2))).isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
}
