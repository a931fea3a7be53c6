package dev.stepbystep.web.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepbystep.jobs.Sensitive;
import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.shared.tasks.Tasks;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A job's payload as operators may see it: the components of the task's payload record marked
 * {@link Sensitive} are {@value #REDACTED}, and so is, at any depth, a field whose name says it
 * holds a credential (password, secret, token, key, authorization, cookie). A payload of a task
 * this version does not know shows its structure only: every value is redacted.
 */
public final class PayloadRedactor {

    public static final String REDACTED = "[redacted]";

    private static final Pattern CREDENTIAL = Pattern.compile("(?i).*(password|passwd|secret|token|api_?key|authorization|cookie|credential).*");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Set<String>> SENSITIVE = new ConcurrentHashMap<>();

    private PayloadRedactor() {
    }

    /** The payload, pretty-printed and redacted; text that is not JSON is redacted whole. */
    public static String redact(String task, String payload) {
        if (payload == null) {
            return null;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return REDACTED;
        }
        var definition = Tasks.byName(task);
        Set<String> sensitive = definition.map(d -> SENSITIVE.computeIfAbsent(d.name(), n -> sensitiveComponents(d))).orElse(Set.of());
        JsonNode redacted = walk(tree, sensitive, definition.isEmpty(), true);
        return redacted.toPrettyString();
    }

    private static Set<String> sensitiveComponents(TaskDefinition<?> task) {
        RecordComponent[] components = task.payloadType().getRecordComponents();
        if (components == null) {
            return Set.of();
        }
        return Arrays.stream(components).filter(c -> c.isAnnotationPresent(Sensitive.class))
                .map(RecordComponent::getName).collect(Collectors.toUnmodifiableSet());
    }

    private static JsonNode walk(JsonNode node, Set<String> sensitive, boolean all, boolean top) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = JSON.createObjectNode();
            object.properties().forEach(e -> {
                boolean hide = (top && sensitive.contains(e.getKey())) || CREDENTIAL.matcher(e.getKey()).matches();
                out.set(e.getKey(), hide && !e.getValue().isNull() ? out.textNode(REDACTED) : walk(e.getValue(), sensitive, all, false));
            });
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = JSON.createArrayNode();
            array.forEach(n -> out.add(walk(n, sensitive, all, false)));
            return out;
        }
        return all && !node.isNull() ? JSON.getNodeFactory().textNode(REDACTED) : node;
    }
}
