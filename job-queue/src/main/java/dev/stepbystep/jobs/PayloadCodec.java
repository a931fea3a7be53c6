package dev.stepbystep.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * A job's payload on the wire: Bean Validation of the payload, then JSON, and back. Producers
 * (JobQueue, in web and beat) write with it and the worker and beat read with it, so all of them
 * read each other's jobs; an invalid or unreadable payload is an {@link InvalidJobException}
 * saying what is wrong.
 */
@ApplicationScoped
public class PayloadCodec {

    /** Upper bound for a serialized payload; a job is an instruction, not a data transfer. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    /**
     * Payloads travel in one fixed JSON dialect (Java field names, ISO-8601 instants), whatever
     * naming the web API uses for its own JSON: web, beat and worker must read each other's jobs.
     */
    private static final ObjectMapper json = JsonMapper.builder(JsonFactory.builder()
                    // Workers run each job on a new virtual thread: Jackson's default thread-local
                    // buffer pool would allocate fresh buffers for every job.
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A writer per payload type: serializer lookup done once, not on every enqueue. */
    private static final ClassValue<ObjectWriter> WRITERS = new ClassValue<>() {
        @Override
        protected ObjectWriter computeValue(Class<?> type) {
            return json.writerFor(type);
        }
    };

    @Inject
    Validator validator;

    /** The JSON a payload travels as, after Bean Validation of the payload. */
    public <P> String serialize(TaskDefinition<P> task, P payload) {
        if (payload == null || !task.payloadType().isInstance(payload)) {
            throw new InvalidJobException("payload of " + task.name() + " must be a " + task.payloadType().getSimpleName());
        }
        validate(task, payload);
        try {
            String body = WRITERS.get(task.payloadType()).writeValueAsString(payload);
            if (body.length() > MAX_PAYLOAD_BYTES) {
                throw new InvalidJobException("payload is larger than " + MAX_PAYLOAD_BYTES + " bytes");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new InvalidJobException("payload of " + task.name() + " cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** Reads and validates a payload; throws {@link InvalidJobException} saying what is wrong. */
    public <P> P deserialize(TaskDefinition<P> task, String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidJobException("empty payload for " + task.name());
        }
        P payload;
        try {
            payload = json.readValue(body, task.payloadType());
        } catch (JsonProcessingException e) {
            throw new InvalidJobException("unreadable payload for " + task.name() + ": " + e.getOriginalMessage());
        }
        if (payload == null) {
            throw new InvalidJobException("empty payload for " + task.name());
        }
        validate(task, payload);
        return payload;
    }

    private <P> void validate(TaskDefinition<P> task, P payload) {
        Set<ConstraintViolation<P>> violations = validator.validate(payload);
        if (!violations.isEmpty()) {
            throw new InvalidJobException("invalid payload for " + task.name() + ": " + violations.stream()
                    .map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted().collect(Collectors.joining("; ")));
        }
    }
}
