package dev.stepbystep.web.debug;

import dev.stepbystep.web.WebConfig;
import dev.stepbystep.web.errors.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The seed's debug page button "Trigger Exception": {@code POST /api/exception/} fails on
 * purpose, so an operator can see that an error reaches the logs (one ERROR event with its
 * stack trace) and the client (a 500 problem whose {@code detail} the page shows). Only with
 * {@code WEB_DEBUG_ENDPOINTS=true}; otherwise the path does not exist (404).
 */
@Path("/api/exception/")
@Produces(MediaType.APPLICATION_JSON)
public class DebugResource {

    /** The seed's message, which its debug page shows in a popup. */
    public static final String MESSAGE = "Exception message from the API server";

    @Inject
    WebConfig config;

    @POST
    public void raise() {
        if (!config.debugEndpoints()) {
            throw ApiException.notFound("no such endpoint");
        }
        throw new TriggeredException(MESSAGE);
    }

    /** The failure {@link #raise()} triggers; mapped to a 500 carrying its message. */
    public static final class TriggeredException extends RuntimeException {
        TriggeredException(String message) {
            super(message);
        }
    }
}
