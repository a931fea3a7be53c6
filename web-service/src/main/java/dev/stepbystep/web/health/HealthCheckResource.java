package dev.stepbystep.web.health;

import dev.stepbystep.shared.config.AppConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The seed's endpoints for load balancers and release checks. {@code /api/health-check/} says
 * only that the process serves HTTP (as the seed's did); {@code /q/health/ready} checks the
 * backing services.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class HealthCheckResource {

    public record Message(String message) {
    }

    public record Version(String version) {
    }

    private final AppConfig config;

    HealthCheckResource(AppConfig config) {
        this.config = config;
    }

    @GET
    @Path("/health-check/")
    public Message healthCheck() {
        return new Message("OK");
    }

    @GET
    @Path("/version/")
    public Version version() {
        return new Version(config.sourceTag());
    }
}
