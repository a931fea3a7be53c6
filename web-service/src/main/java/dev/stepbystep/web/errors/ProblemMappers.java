package dev.stepbystep.web.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.stepbystep.jobs.InvalidJobException;
import dev.stepbystep.jobs.QueueUnavailableException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The one place where failures become {@code application/problem+json}. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder r = respond(Problem.of(e.status(), e.title(), e.getMessage()));
        e.headers().forEach(r::header);
        return r.build();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        Map<String, List<String>> errors = new TreeMap<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.computeIfAbsent(field(v.getPropertyPath().toString()), k -> new java.util.ArrayList<>()).add(v.getMessage());
        }
        String detail = errors.entrySet().stream().map(en -> en.getKey() + ": " + String.join(", ", en.getValue()))
                .collect(Collectors.joining("; "));
        return respond(new Problem("about:blank", "Bad Request", 400, detail, errors)).build();
    }

    /** Listed one by one: Quarkus REST has its own mappers for the specific Jackson types. */
    @ServerExceptionMapper({JsonProcessingException.class, com.fasterxml.jackson.core.JsonParseException.class,
            com.fasterxml.jackson.databind.exc.MismatchedInputException.class, UnrecognizedPropertyException.class,
            com.fasterxml.jackson.databind.exc.InvalidFormatException.class, com.fasterxml.jackson.databind.exc.ValueInstantiationException.class})
    public Response json(JsonProcessingException e) {
        String detail;
        if (e instanceof UnrecognizedPropertyException u) {
            detail = "unknown field '" + u.getPropertyName() + "'";
        } else if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String path = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            detail = "field '" + path + "' has the wrong type or format";
        } else if (e instanceof JsonMappingException) {
            // Its message names our Java types ("Cannot deserialize value of type dev.stepbystep..."):
            // say what was expected instead.
            detail = "the body must be a JSON object with the fields this endpoint documents";
        } else {
            detail = "malformed JSON: " + e.getOriginalMessage();
        }
        return respond(Problem.of(400, "Bad Request", detail)).build();
    }

    @ServerExceptionMapper
    public Response invalidJob(InvalidJobException e) {
        return respond(Problem.of(400, "Bad Request", e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response queueDown(QueueUnavailableException e) {
        Log.warnf("job queue unavailable: %s", e.getMessage());
        return respond(Problem.of(503, "Service Unavailable", "the job queue is unavailable; nothing was changed, try again shortly"))
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return respond(Problem.of(401, "Unauthorized", "authentication credentials were not provided or are invalid"))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "Forbidden", "you do not have permission to perform this action")).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            Log.error("request failed", e);
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? reason : e.getMessage();
        return respond(Problem.of(status, reason, detail)).build();
    }

    /** {@code POST /api/exception/} (debug endpoints on): a real unexpected failure, with the seed's message. */
    @ServerExceptionMapper
    public Response triggered(dev.stepbystep.web.debug.DebugResource.TriggeredException e) {
        Log.error("exception triggered on purpose by POST /api/exception/", e);
        return respond(Problem.of(500, "Internal Server Error", e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (malformedMultipart(e)) {
            return respond(Problem.of(400, "Bad Request", "malformed multipart/form-data body")).build();
        }
        if (databaseUnavailable(e)) {
            // An outage, not a bug: one warning line (no stack) and a 503 the client may retry.
            Log.warnf("database unavailable: %s", dev.stepbystep.shared.runtime.ServiceLauncher.reason(e));
            return respond(Problem.of(503, "Service Unavailable", "the database is unavailable; try again shortly"))
                    .header("Retry-After", "5").build();
        }
        String constraint = uniqueViolation(e);
        if (constraint != null) {
            // Two clients racing to create the same thing: the loser gets what a later request would.
            Log.debugf("unique violation on %s answered as a client error", constraint);
            return "app_user_email_lower_uq".equals(constraint)
                    ? respond(Problem.of(400, "Bad Request", "email: cannot register with this email address")).build()
                    : respond(Problem.of(409, "Conflict", "this conflicts with a change made at the same time; try again")).build();
        }
        Log.error("unexpected failure", e);
        return respond(Problem.of(500, "Internal Server Error", "an unexpected error occurred")).build();
    }

    /** The constraint a PostgreSQL unique violation (23505) in the chain names, or null. */
    static String uniqueViolation(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < 20; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                if (sql instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                        && p.getServerErrorMessage().getConstraint() != null) {
                    return p.getServerErrorMessage().getConstraint();
                }
                return "unknown";
            }
        }
        return null;
    }

    /**
     * True when the chain holds a PostgreSQL error of class 08 (connection), 28 (rejected
     * credentials) or 57P01-57P03 (server shutting down or starting), or a pool timeout.
     */
    static boolean databaseUnavailable(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < 20; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                String message = sql.getMessage() == null ? "" : sql.getMessage().toLowerCase(java.util.Locale.ROOT);
                if (state.startsWith("08") || state.startsWith("28") || state.matches("57P0[123]")
                        || message.contains("acquisition timeout")) { // Agroal: "Sorry, acquisition timeout!"
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True for the I/O error Quarkus REST's multipart parser raises when a body ends before its
     * closing boundary ("Connection terminated parsing multipart request"): the client's fault.
     */
    static boolean malformedMultipart(Throwable e) {
        StackTraceElement[] stack = e.getStackTrace();
        return e instanceof java.io.IOException && stack.length > 0
                && stack[0].getClassName().startsWith("org.jboss.resteasy.reactive.server.core.multipart.");
    }

    private static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    /** "update.request.firstName" → "first_name": the JSON field name, without method and parameter names. */
    private static String field(String path) {
        int dot = path.lastIndexOf('.');
        String name = dot < 0 ? path : path.substring(dot + 1);
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
