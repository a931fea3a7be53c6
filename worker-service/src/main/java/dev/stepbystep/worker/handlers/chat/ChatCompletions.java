package dev.stepbystep.worker.handlers.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepbystep.worker.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;

/**
 * A client of an OpenAI-compatible Chat Completions API ({@code POST {LLM_BASE_URL}/chat/completions}):
 * the model, the history in order, {@code Authorization: Bearer LLM_API_KEY}; the reply is
 * {@code choices[0].message.content}. Failures say whether a retry may help
 * ({@link ProviderException#retryable()}: 429, 5xx, timeouts, connection errors) or not (any other 4xx,
 * an answer that is not a completion).
 */
@ApplicationScoped
public class ChatCompletions {

    /** A message of the history: {@code role} is user, assistant or system. */
    public record Turn(String role, String content) {
    }

    /** The provider failed; {@code retryable} when another attempt may succeed. */
    public static final class ProviderException extends Exception {
        private final boolean retryable;

        ProviderException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    @Inject
    WorkerConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    io.opentelemetry.api.trace.Tracer tracer;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(java.time.Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** True when {@code LLM_BASE_URL} is set; otherwise the caller answers the mocked reply. */
    public boolean configured() {
        return config.llm().baseUrl().isPresent();
    }

    public String complete(List<Turn> history) throws ProviderException, InterruptedException {
        String base = config.llm().baseUrl().orElseThrow();
        ObjectNode body = json.createObjectNode().put("model", config.llm().model());
        ArrayNode messages = body.putArray("messages");
        history.forEach(t -> messages.addObject().put("role", t.role()).put("content", t.content()));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions"))
                .timeout(config.llm().timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        config.llm().apiKey().filter(k -> !k.isBlank()).ifPresent(key -> request.header("Authorization", "Bearer " + key));
        HttpResponse<String> response;
        URI uri = request.build().uri();
        // The JDK client is not instrumented: a client span of our own, and its context sent on.
        io.opentelemetry.api.trace.Span span = tracer.spanBuilder("POST")
                .setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
                .setAttribute("http.request.method", "POST")
                .setAttribute("server.address", uri.getHost())
                .setAttribute("url.path", uri.getPath())
                .startSpan();
        try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
            String traceparent = dev.stepbystep.jobs.TraceContext.current();
            if (!traceparent.isEmpty()) {
                request.header("traceparent", traceparent);
            }
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            span.setAttribute("http.response.status_code", response.statusCode());
            if (response.statusCode() >= 400) {
                span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
            }
        } catch (HttpTimeoutException e) {
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, "timeout");
            throw new ProviderException("the model provider did not answer within " + config.llm().timeout(), true, e);
        } catch (IOException e) {
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, e.getClass().getSimpleName());
            throw new ProviderException("the model provider could not be reached: " + e.getMessage(), true, e);
        } finally {
            span.end();
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new ProviderException("the model provider answered " + status, true, null);
        }
        if (status != 200) {
            // 400/401/403/404: the request or the key is wrong; the same request will fail again.
            throw new ProviderException("the model provider refused the request: " + status + " " + abbreviate(response.body()), false, null);
        }
        try {
            JsonNode content = json.readTree(response.body()).path("choices").path(0).path("message").path("content");
            if (!content.isTextual()) {
                throw new ProviderException("the model provider's answer has no choices[0].message.content", false, null);
            }
            return content.asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ProviderException("the model provider's answer is not JSON", false, e);
        }
    }

    private static String abbreviate(String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
