package dev.stepbystep.web.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.jobs.client.JobStatus;

import java.time.Instant;

/** A job's state as the API shows it; {@code result} is the handler's JSON result. */
public record JobJson(String id, String task, String queue, String state, int attempts, int maxRetries,
                      Instant enqueuedAt, Instant readyAt, Instant startedAt, Instant finishedAt,
                      JsonNode result, String error, String lastError) {

    private static final ObjectMapper RAW = new ObjectMapper();

    public static JobJson of(JobStatus s) {
        JsonNode result = null;
        if (s.result() != null) {
            try {
                result = RAW.readTree(s.result());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                result = RAW.getNodeFactory().textNode(s.result());
            }
        }
        return new JobJson(s.id(), s.task(), s.queue(), s.state().wire(), s.attempts(), s.maxRetries(), s.enqueuedAt(),
                s.readyAt(), s.startedAt(), s.finishedAt(), result, s.error(), s.lastError());
    }
}
