package dev.stepbystep.web.jobs;

import dev.stepbystep.shared.config.AppConfig;
import dev.stepbystep.jobs.client.DeadLetters;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.JobState;
import dev.stepbystep.jobs.client.JobStatus;
import dev.stepbystep.jobs.client.WorkerRegistry;
import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.EmailAdmins;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.web.PageJson;
import dev.stepbystep.web.accounts.Viewer;
import dev.stepbystep.web.errors.ApiException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Map;

/** Job status for their owners and staff; the dead-letter queue and admin email for staff. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    @Inject
    JobQueue jobs;

    @Inject
    DeadLetters deadLetters;

    @Inject
    WorkerRegistry workerRegistry;

    @Inject
    QueueOverview overview;

    @Inject
    SecurityIdentity identity;

    @Inject
    AppConfig config;

    /** A job's state. Jobs of other users answer 404, as unknown ones do: ids are not to be probed. */
    @GET
    @Path("/jobs/{id}/")
    @Authenticated
    public JobJson job(@PathParam("id") String id) {
        Viewer viewer = Viewer.of(identity);
        JobStatus status = jobs.status(id)
                .filter(s -> viewer.staff() || (s.ownerId() != null && s.ownerId().equals(viewer.userId())))
                .orElseThrow(() -> ApiException.notFound("no job " + (id.length() > 40 ? id.substring(0, 40) + "…" : id)));
        return JobJson.of(status);
    }

    /** Enqueues {@code core.send_email_debug_task} (an email to ADMIN_EMAIL). */
    @POST
    @Path("/email-admins/")
    @RolesAllowed("staff")
    public Response emailAdmins() {
        if (config.adminEmail().isEmpty()) {
            throw new ApiException(409, "Conflict", "ADMIN_EMAIL is not configured: there is nobody to email");
        }
        String jobId = jobs.enqueue(Tasks.SEND_EMAIL_DEBUG, new EmailAdmins(null, null),
                EnqueueOptions.defaults().owner(Viewer.of(identity).requireUser())).jobId();
        return Response.accepted(Map.of("job_id", jobId)).build();
    }

    @GET
    @Path("/jobs/dead/")
    @RolesAllowed("staff")
    public PageJson<JobJson> dead(@QueryParam("queue") String queue, @QueryParam("limit") String limit,
                                  @QueryParam("offset") String offset, @Context UriInfo uri) {
        String q = queue(queue);
        PageJson.Window window = PageJson.Window.parse(limit, offset);
        return PageJson.of(deadLetters.list(q, window.offset(), window.limit()).stream().map(JobJson::of).toList(),
                jobs.stats(q).dead(), window, uri);
    }

    /** Staff see each queue as the operators' overview does ({@link QueueOverview}). */
    @GET
    @Path("/queues/")
    @RolesAllowed("staff")
    public List<Map<String, Object>> queues() {
        return overview.queues();
    }

    /** Staff see the live worker processes (each heard from within the last 45 s). */
    @GET
    @Path("/workers/")
    @RolesAllowed("staff")
    public List<Map<String, Object>> workers() {
        return workerRegistry.live().stream().map(w -> {
            Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("id", w.id());
            json.put("host", w.host());
            json.put("version", w.version());
            json.put("queues", w.queues());
            json.put("concurrency", w.concurrency());
            json.put("in_flight", w.inFlight());
            json.put("started_at", w.startedAt().toString());
            json.put("last_heartbeat", w.lastHeartbeat().toString());
            return json;
        }).toList();
    }

    /** Staff cancel a job no worker has taken yet (queued, delayed, or waiting to retry). */
    @POST
    @Path("/jobs/{id}/cancel/")
    @RolesAllowed("staff")
    public JobJson cancel(@PathParam("id") String id) {
        JobQueue.Cancellation c = jobs.cancel(id);
        return switch (c.outcome()) {
            case CANCELLED -> JobJson.of(jobs.status(id).orElseThrow(() -> ApiException.notFound("no job " + id)));
            case NOT_FOUND -> throw ApiException.notFound("no job " + (id.length() > 40 ? id.substring(0, 40) + "…" : id));
            case TOO_LATE -> throw new ApiException(409, "Conflict", c.state() == JobState.QUEUED
                    ? "the job is being enqueued; try again in a moment"
                    : "the job is " + c.state().wire() + ": only a job no worker has taken can be cancelled");
        };
    }

    @POST
    @Path("/jobs/dead/{id}/retry/")
    @RolesAllowed("staff")
    public Map<String, Object> retry(@PathParam("id") String id) {
        if (!deadLetters.retry(id)) {
            throw ApiException.notFound("no dead job " + (id.length() > 40 ? id.substring(0, 40) + "…" : id));
        }
        return Map.of("retried", 1);
    }

    @POST
    @Path("/jobs/dead/retry/")
    @RolesAllowed("staff")
    public Map<String, Object> retryAll(@QueryParam("queue") String queue) {
        return Map.of("retried", deadLetters.retryAll(queue(queue)));
    }

    @DELETE
    @Path("/jobs/dead/")
    @RolesAllowed("staff")
    public Map<String, Object> purge(@QueryParam("queue") String queue) {
        return Map.of("purged", deadLetters.purge(queue(queue)));
    }

    private static String queue(String queue) {
        return KeySchema.checkQueue(queue == null || queue.isBlank() ? "default" : queue);
    }
}
