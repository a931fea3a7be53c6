package dev.stepbystep.web.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepbystep.jobs.KeySchema;
import dev.stepbystep.jobs.client.DeadLetters;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.JobStatus;
import dev.stepbystep.jobs.client.WorkerRegistry;
import dev.stepbystep.web.jobs.QueueOverview;
import dev.stepbystep.web.jobs.ScheduleResource;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations console's pages (staff only, see {@link OpsAccess}): the queues' overview with
 * its charts, the live workers, a job with its timeline, the dead letters, beat's schedules.
 * Actions are {@link OpsActions}; the login form is {@link OpsLogin}.
 */
@Path("/ops")
public class OpsPages {

    /** Filters of the dead-letter page look at this many of the newest dead jobs. */
    static final int DEAD_SCAN = 500;
    private static final int DEAD_PAGE = 50;

    @Inject
    OpsAccess access;

    @Inject
    QueueOverview overview;

    @Inject
    JobQueue jobs;

    @Inject
    DeadLetters deadLetters;

    @Inject
    WorkerRegistry workers;

    @Inject
    ScheduleResource schedules;

    @Inject
    @Location("ops/overview")
    Template overviewPage;

    @Inject
    @Location("ops/workers")
    Template workersPage;

    @Inject
    @Location("ops/job")
    Template jobPage;

    @Inject
    @Location("ops/missing")
    Template missingPage;

    @Inject
    @Location("ops/dead")
    Template deadPage;

    @Inject
    @Location("ops/purge")
    Template purgePage;

    @Inject
    @Location("ops/schedules")
    Template schedulesPage;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uri;

    /** Every page's frame: which page it is, and the notice or problem an action left. */
    static TemplateInstance frame(Template template, String page, String notice, String problem) {
        return template.data("page", page).data("notice", OpsMessages.notice(notice)).data("problem", OpsMessages.problem(problem));
    }

    @GET
    @Path("/")
    @Produces(MediaType.TEXT_HTML)
    public Response overview(@QueryParam("problem") String problem) {
        return access.serve(headers, uri, s -> s.page(frame(overviewPage, "overview", null, problem).data("queues", overview.queues())));
    }

    /** What the overview page's script redraws every few seconds. */
    @GET
    @Path("/overview.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response overviewData() {
        return access.serve(headers, uri, s -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("generated_at", Instant.now().toString());
            json.put("queues", overview.queues());
            return s.headers(Response.ok(json, MediaType.APPLICATION_JSON_TYPE)).build();
        });
    }

    @GET
    @Path("/workers")
    @Produces(MediaType.TEXT_HTML)
    public Response workers() {
        return access.serve(headers, uri, s -> {
            Instant now = Instant.now();
            List<Map<String, Object>> live = workers.live().stream().map(w -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", w.id());
                m.put("host", w.host());
                m.put("version", w.version());
                m.put("queues", String.join(", ", w.queues()));
                m.put("concurrency", w.concurrency());
                m.put("in_flight", w.inFlight());
                m.put("started_at", w.startedAt().toString());
                m.put("last_heartbeat", w.lastHeartbeat().toString());
                m.put("ago", OpsMessages.age(Duration.between(w.lastHeartbeat(), now)));
                return m;
            }).toList();
            return s.page(frame(workersPage, "workers", null, null).data("workers", live));
        });
    }

    /** The header's job lookup: to the job's page. */
    @GET
    @Path("/jobs/")
    public Response lookup(@QueryParam("id") String id) {
        return access.serve(headers, uri, s -> {
            String clean = id == null ? "" : id.strip().toLowerCase(java.util.Locale.ROOT);
            return s.headers(Response.seeOther(URI.create(KeySchema.isJobId(clean) ? "/ops/jobs/" + clean : "/ops/?problem=bad-id"))).build();
        });
    }

    @GET
    @Path("/jobs/{id}")
    @Produces(MediaType.TEXT_HTML)
    public Response job(@PathParam("id") String id, @QueryParam("notice") String notice, @QueryParam("problem") String problem) {
        return access.serve(headers, uri, s -> {
            var status = jobs.status(id);
            if (status.isEmpty()) {
                return s.page(Response.status(404).entity(frame(missingPage, "job", null, null)
                        .data("id", id.length() > 40 ? id.substring(0, 40) + "…" : id).render()));
            }
            JobStatus job = status.get();
            return s.page(frame(jobPage, "job", notice, problem).data("job", JobView.of(job)).data("timeline", JobView.timeline(job)));
        });
    }

    @GET
    @Path("/dead")
    @Produces(MediaType.TEXT_HTML)
    public Response dead(@QueryParam("queue") String queue, @QueryParam("task") String task, @QueryParam("error") String error,
                         @QueryParam("offset") String offset, @QueryParam("notice") String notice, @QueryParam("problem") String problem) {
        return access.serve(headers, uri, s -> {
            List<String> queues = jobs.queues();
            String q = queue == null || queue.isBlank() ? (queues.contains("default") || queues.isEmpty() ? "default" : queues.get(0)) : queue;
            if (!KeySchema.isQueueName(q)) {
                return s.page(Response.status(400).entity(frame(missingPage, "dead", null, "bad-queue").data("id", "").render()));
            }
            String taskFilter = clip(task);
            String errorFilter = clip(error);
            boolean filtered = !taskFilter.isEmpty() || !errorFilter.isEmpty();
            int from = filtered ? 0 : parseOffset(offset);
            List<JobStatus> page = deadLetters.list(q, from, filtered ? DEAD_SCAN : DEAD_PAGE);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JobStatus j : page) {
                if ((taskFilter.isEmpty() || j.task().equals(taskFilter))
                        && (errorFilter.isEmpty() || (j.error() != null && j.error().toLowerCase().contains(errorFilter.toLowerCase())))) {
                    rows.add(Map.of("id", j.id(), "task", j.task(), "finished_at", String.valueOf(j.finishedAt()),
                            "attempts", j.attempts(), "error", j.error() == null ? "" : OpsMessages.clip(j.error().lines().findFirst().orElse(""), 300)));
                }
            }
            long total = jobs.stats(q).dead();
            return s.page(frame(deadPage, "dead", notice, problem).data("queue", q).data("queues", queues.contains(q) ? queues : append(queues, q))
                    .data("task", taskFilter).data("error", errorFilter).data("filtered", filtered).data("scanLimit", DEAD_SCAN)
                    .data("jobs", rows).data("total", total).data("more", !filtered && from + DEAD_PAGE < total)
                    .data("nextOffset", from + DEAD_PAGE));
        });
    }

    @GET
    @Path("/dead/purge")
    @Produces(MediaType.TEXT_HTML)
    public Response confirmPurge(@QueryParam("queue") String queue) {
        return access.serve(headers, uri, s -> {
            if (queue == null || !KeySchema.isQueueName(queue)) {
                return s.headers(Response.seeOther(URI.create("/ops/dead?problem=bad-queue"))).build();
            }
            return s.page(frame(purgePage, "dead", null, null).data("queue", queue).data("total", jobs.stats(queue).dead()));
        });
    }

    @GET
    @Path("/schedules")
    @Produces(MediaType.TEXT_HTML)
    public Response schedules() {
        return access.serve(headers, uri, s -> {
            List<Map<String, String>> rows = new ArrayList<>();
            for (JsonNode node : schedules.schedules()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (String field : List.of("name", "task", "queue", "schedule", "missed", "last_fire_at", "next_fire_at")) {
                    JsonNode v = node.get(field);
                    row.put(field, v == null || v.isNull() ? null : v.asText());
                }
                rows.add(row);
            }
            return s.page(frame(schedulesPage, "schedules", null, null).data("schedules", rows));
        });
    }

    private static List<String> append(List<String> list, String item) {
        List<String> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    private static String clip(String filter) {
        return filter == null ? "" : OpsMessages.clip(filter.strip(), 200);
    }

    private static int parseOffset(String offset) {
        try {
            return offset == null ? 0 : Math.min(Math.max(0, Integer.parseInt(offset)), 1_000_000);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
