package dev.stepbystep.web.ops;

import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.client.DeadLetters;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.JobState;
import io.quarkus.logging.Log;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;

/**
 * The console's actions: plain HTML form POSTs, each answered with a redirect to the page that
 * shows its result (post/redirect/get). Staff only; cross-site posts are refused before they get
 * here (SameSite cookies, and {@link dev.stepbystep.web.auth.CsrfFilter}'s same-origin check).
 */
@Path("/ops")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
public class OpsActions {

    @Inject
    OpsAccess access;

    @Inject
    JobQueue jobs;

    @Inject
    DeadLetters deadLetters;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uri;

    @POST
    @Path("/jobs/{id}/retry")
    public Response retry(@PathParam("id") String id, @FormParam("back") String back) {
        return access.serve(headers, uri, s -> {
            if (!KeySchema.isJobId(id)) {
                return redirect(s, "/ops/?problem=bad-id");
            }
            var job = jobs.status(id);
            boolean retried = deadLetters.retry(id);
            if (retried) {
                Log.infof("ops: user=%d retried dead job=%s", s.viewer().userId(), id);
            }
            if ("dead".equals(back) && job.isPresent()) {
                return redirect(s, "/ops/dead?queue=" + job.get().queue() + (retried ? "&notice=retried" : "&problem=not-dead"));
            }
            return redirect(s, "/ops/jobs/" + id + (retried ? "?notice=retried" : "?problem=not-dead"));
        });
    }

    @POST
    @Path("/jobs/{id}/cancel")
    public Response cancel(@PathParam("id") String id) {
        return access.serve(headers, uri, s -> {
            if (!KeySchema.isJobId(id)) {
                return redirect(s, "/ops/?problem=bad-id");
            }
            JobQueue.Cancellation c = jobs.cancel(id);
            return switch (c.outcome()) {
                case CANCELLED -> {
                    Log.infof("ops: user=%d cancelled job=%s", s.viewer().userId(), id);
                    yield redirect(s, "/ops/jobs/" + id + "?notice=cancelled");
                }
                case NOT_FOUND -> redirect(s, "/ops/jobs/" + id);
                case TOO_LATE -> redirect(s, "/ops/jobs/" + id + (c.state() == JobState.QUEUED ? "?problem=enqueueing" : "?problem=too-late"));
            };
        });
    }

    @POST
    @Path("/dead/retry")
    public Response retryAll(@FormParam("queue") String queue) {
        return access.serve(headers, uri, s -> {
            if (!KeySchema.isQueueName(queue)) {
                return redirect(s, "/ops/dead?problem=bad-queue");
            }
            long n = deadLetters.retryAll(queue);
            Log.infof("ops: user=%d retried %d dead job(s) of queue=%s", s.viewer().userId(), n, queue);
            return redirect(s, "/ops/dead?queue=" + queue + "&notice=retried-all");
        });
    }

    /** Purges only when the form's {@code confirm} names the queue, as the confirmation page asks. */
    @POST
    @Path("/dead/purge")
    public Response purge(@FormParam("queue") String queue, @FormParam("confirm") String confirm) {
        return access.serve(headers, uri, s -> {
            if (!KeySchema.isQueueName(queue)) {
                return redirect(s, "/ops/dead?problem=bad-queue");
            }
            if (confirm == null || !confirm.strip().equals(queue)) {
                return redirect(s, "/ops/dead?queue=" + queue + "&problem=confirm");
            }
            long n = deadLetters.purge(queue);
            Log.infof("ops: user=%d purged %d dead job(s) of queue=%s", s.viewer().userId(), n, queue);
            return redirect(s, "/ops/dead?queue=" + queue + "&notice=purged");
        });
    }

    private static Response redirect(OpsAccess.Session s, String to) {
        return s.headers(Response.seeOther(URI.create(to))).build();
    }
}
