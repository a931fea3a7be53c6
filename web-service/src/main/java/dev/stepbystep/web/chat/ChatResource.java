package dev.stepbystep.web.chat;

import dev.stepbystep.web.WebConfig;
import dev.stepbystep.web.accounts.Ids;
import dev.stepbystep.web.accounts.Viewer;
import dev.stepbystep.web.errors.ApiException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * The seed's chat API, at its paths and in its shapes. Login required; a session of another
 * user is answered 404. The assistant's reply is written by a worker job ({@code chat.reply});
 * sending waits for it up to {@code WEB_CHAT_WAIT} without holding a thread, then answers the
 * seed's 201 with the reply, or 202 with the job id (the reply appears in the session when the
 * job ends). A send while the previous reply is still pending is refused with 409.
 */
@Path("/api/chat")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ChatResource {

    @Inject
    ChatService chats;

    @Inject
    JobWaiter waiter;

    @Inject
    WebConfig config;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("/get-sessions/")
    @Blocking
    public ChatJson.Sessions sessions() {
        return new ChatJson.Sessions(chats.sessions(user()));
    }

    @POST
    @Path("/sessions/")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid ChatJson.NewSession request) {
        long id = chats.create(user(), request == null ? null : request.systemPrompt());
        return Response.created(URI.create("/api/chat/sessions/" + id + "/messages/"))
                .entity(new ChatJson.SessionCreated("Chat session created", id)).build();
    }

    /** The same without a JSON body (a bare POST): a session with the default prompt. Any other body is 415. */
    @POST
    @Path("/sessions/")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response createWithoutBody(byte[] body) {
        if (body != null && body.length > 0) {
            throw new ApiException(415, "Unsupported Media Type", "send a JSON body (Content-Type: application/json) or none");
        }
        return create(null);
    }

    @GET
    @Path("/sessions/{id}/messages/")
    @Blocking
    public ChatJson.Messages messages(@PathParam("id") String id) {
        return chats.messages(user(), sessionId(id));
    }

    @POST
    @Path("/sessions/{id}/messages/send/")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> send(@PathParam("id") String id, @Valid @NotNull ChatJson.Send request) {
        long userId = user();
        long sessionId = sessionId(id);
        return Uni.createFrom().item(() -> chats.send(userId, sessionId, request.content()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(sent -> waiter.ended(sent.jobId(), config.chatWait())
                        .flatMap(ended -> Uni.createFrom().item(() -> chats.reply(sent))
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                        .map(reply -> reply
                                .map(r -> Response.status(201).entity(new ChatJson.Replied("Message sent", r.id(), r.content(), r.timestamp())).build())
                                .orElseGet(() -> Response.accepted(new ChatJson.Pending(
                                                "The assistant is still replying; the reply will appear in the session", sessionId, sent.jobId()))
                                        .location(URI.create("/api/jobs/" + sent.jobId() + "/")).build())));
    }

    private long user() {
        return Viewer.of(identity).requireUser();
    }

    private static long sessionId(String id) {
        return Ids.parse(id).orElseThrow(() -> ApiException.notFound("no chat session " + Ids.abbreviate(id)));
    }
}
