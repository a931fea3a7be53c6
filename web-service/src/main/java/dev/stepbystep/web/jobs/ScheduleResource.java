package dev.stepbystep.web.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.QueueUnavailableException;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Beat's schedules with their last and next fire times, as the running beat replicas publish them. */
@Path("/api/schedules/")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RedisDataSource redis;

    @Inject
    QueueConfig config;

    @GET
    @RolesAllowed("staff")
    public List<JsonNode> schedules() {
        Map<String, String> all;
        try {
            all = new TreeMap<>(redis.hash(String.class).hgetall(new KeySchema(config.prefix()).beatSchedules()));
        } catch (RuntimeException e) {
            throw new QueueUnavailableException("reading schedules: " + e.getMessage(), e);
        }
        List<JsonNode> schedules = new ArrayList<>();
        for (String entry : all.values()) {
            try {
                schedules.add(JSON.readTree(entry));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // an entry written by an incompatible beat version: leave it out
            }
        }
        return schedules;
    }
}
