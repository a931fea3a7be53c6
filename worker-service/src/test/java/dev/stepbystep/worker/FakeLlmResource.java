package dev.stepbystep.worker;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A fake OpenAI-compatible Chat Completions server (a real HTTP server on 127.0.0.1) for the
 * worker's tests: it records every request and answers the next scripted {@link Answer}, or,
 * when none is scripted, a completion echoing the last message.
 */
public class FakeLlmResource implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "sk-test-" + java.util.UUID.randomUUID();
    public static final String MODEL = "test-model-1";

    /** A request as received. */
    public record Received(String path, String authorization, String body) {
    }

    /** What to answer: a status and body, after a delay and once {@code gate} completes. */
    public record Answer(int status, String body, Duration delay, java.util.concurrent.CompletableFuture<Void> gate) {

        public Answer(int status, String body, Duration delay) {
            this(status, body, delay, java.util.concurrent.CompletableFuture.completedFuture(null));
        }

        /** The same answer, held back until the test completes {@code release}. */
        public Answer heldUntil(java.util.concurrent.CompletableFuture<Void> release) {
            return new Answer(status, body, delay, release);
        }

        public static Answer completion(String content) {
            return new Answer(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":" + quote(content) + "},\"finish_reason\":\"stop\"}]}", Duration.ZERO);
        }

        public static Answer status(int status) {
            return new Answer(status, "{\"error\":{\"message\":\"scripted " + status + "\"}}", Duration.ZERO);
        }

        public Answer after(Duration wait) {
            return new Answer(status, body, wait, gate);
        }
    }

    private static HttpServer server;
    private static final java.util.concurrent.ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(2);
    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final ConcurrentLinkedQueue<Answer> SCRIPT = new ConcurrentLinkedQueue<>();

    /** Requests received since the last {@link #reset()}. */
    public static List<Received> received() {
        return List.copyOf(RECEIVED);
    }

    /** Answers for the next requests, in order. */
    public static void script(Answer... answers) {
        SCRIPT.addAll(List.of(answers));
    }

    public static void reset() {
        RECEIVED.clear();
        SCRIPT.clear();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            RECEIVED.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"), body));
            Answer scripted = SCRIPT.poll();
            Answer answer = scripted == null ? Answer.completion("echo") : scripted;
            // A slow provider answers later, from the timer: the exchange stays open until then.
            answer.gate().thenRun(() -> TIMER.schedule(() -> {
                try (OutputStream os = exchange.getResponseBody()) {
                    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(answer.status(), out.length);
                    os.write(out);
                } catch (IOException clientGone) {
                    // the worker gave up waiting (LLM_TIMEOUT): nothing to answer
                }
            }, answer.delay().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        });
        server.start();
        return Map.of("LLM_BASE_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                "LLM_API_KEY", API_KEY, "LLM_MODEL", MODEL, "LLM_TIMEOUT", "6S");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }
}
