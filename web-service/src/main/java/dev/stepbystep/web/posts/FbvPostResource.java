package dev.stepbystep.web.posts;

import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The seed's DRF function-based view routes: {@code new/}, {@code {id}/update/} and
 * {@code {id}/delete/} besides the list, detail (which also takes DELETE, as the Quasar app
 * sends it) and like routes.
 */
@Path("/api/drf/fbv/posts")
public class FbvPostResource extends PostRoutes {

    @POST
    @Path("/new/")
    @Consumes(MediaType.APPLICATION_JSON)
    public io.smallrye.mutiny.Uni<Response> createNew(PostRequests.Write request, @Context HttpServerRequest http) {
        return create(request, http);
    }

    @POST
    @Path("/new/")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response createNewMultipart(@RestForm String body, @RestForm("image") FileUpload image, @Context HttpServerRequest http) {
        return createMultipart(body, image, http);
    }

    @PUT
    @Path("/{id}/update/")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public PostJson update(@PathParam("id") String id, @Valid @NotNull PostRequests.Write request) {
        return put(id, request);
    }

    @DELETE
    @Path("/{id}/delete/")
    @Authenticated
    public Response deleteAlias(@PathParam("id") String id) {
        return delete(id);
    }
}
