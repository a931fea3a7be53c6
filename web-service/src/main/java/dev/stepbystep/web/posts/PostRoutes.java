package dev.stepbystep.web.posts;

import dev.stepbystep.web.PageJson;
import dev.stepbystep.web.accounts.Ids;
import dev.stepbystep.web.accounts.Viewer;
import dev.stepbystep.web.errors.ApiException;
import dev.stepbystep.web.validation.NoNullCharacters;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import dev.stepbystep.shared.media.ImageCheck;
import dev.stepbystep.shared.media.MediaConfig;

import java.net.URI;

/**
 * The post routes, one implementation for every path the seed's clients use: the canonical
 * {@code /api/posts/}, DRF's class-based {@code /api/drf/cbv/posts/} and function-based
 * {@code /api/drf/fbv/posts/} (which adds its own verbs, see {@link FbvPostResource}).
 */
@Produces(MediaType.APPLICATION_JSON)
public abstract class PostRoutes {

    @Inject
    PostQueries queries;

    @Inject
    PostService posts;

    @Inject
    SecurityIdentity identity;

    @Inject
    Validator validator;

    @Inject
    PostListCache cache;

    /**
     * The hottest endpoint. A cached page (and, for a user, their cached likes) is answered on
     * the event loop from one Redis round trip; anything else goes to PostgreSQL on a worker thread.
     */
    @GET
    @Path("/")
    public Uni<PageJson<PostJson>> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                        @QueryParam("search") String search, @Context UriInfo uri) {
        PageJson.Window window = PageJson.Window.parse(limit, offset);
        String term = search == null || search.isBlank() ? null : search.strip();
        if (term != null && term.length() > 200) {
            throw ApiException.badRequest("search: at most 200 characters");
        }
        if (term != null && NoNullCharacters.Validator.contains(term)) {
            throw ApiException.badRequest("search: " + NoNullCharacters.MESSAGE);
        }
        Viewer viewer = Viewer.of(identity);
        return cache.read(viewer.userId(), term, window.limit(), window.offset()).onItem().transformToUni(found -> {
            if (found != null && found.page().isPresent() && (!viewer.authenticated() || found.likesLoaded())) {
                return Uni.createFrom().item(render(found.page().get(), viewer, found.likedOnPage(), window, uri));
            }
            return Uni.createFrom().item(() -> fromDatabase(found, viewer, term, window, uri))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        });
    }

    private PageJson<PostJson> fromDatabase(PostListCache.Lookup found, Viewer viewer, String term, PageJson.Window window, UriInfo uri) {
        if (found == null) { // Redis unavailable
            URI base = uri.getBaseUri();
            return PageJson.of(queries.page(viewer, term, window.limit(), window.offset()).stream().map(p -> images.present(p, base)).toList(),
                    queries.count(term), window, uri);
        }
        PostListCache.CachedPage page = found.page().orElseGet(() -> {
            PostListCache.CachedPage loaded = queries.sharedPage(term, window.limit(), window.offset());
            cache.storePage(found.version(), term, window.limit(), window.offset(), loaded);
            return loaded;
        });
        java.util.Set<Long> liked = java.util.Set.of();
        if (viewer.authenticated()) {
            java.util.List<Long> all = queries.likedBy(viewer.userId());
            cache.storeLikes(viewer.userId(), found.likesVersion(), all);
            liked = new java.util.HashSet<>(all);
        }
        return render(page, viewer, liked, window, uri);
    }

    private PageJson<PostJson> render(PostListCache.CachedPage page, Viewer viewer, java.util.Set<Long> liked,
                                      PageJson.Window window, UriInfo uri) {
        URI base = uri.getBaseUri();
        return PageJson.of(page.rows().stream().map(row -> render(row, viewer, liked.contains(row.id()), base)).toList(),
                page.total(), window, uri);
    }

    private PostJson render(PostListCache.Row row, Viewer viewer, boolean liked, URI base) {
        dev.stepbystep.web.accounts.UserJson author = row.authorId() == null ? null : new dev.stepbystep.web.accounts.UserJson(
                viewer.maySeeEmailOf(row.authorId()) ? row.authorEmail() : null, row.authorId(), row.authorFirstName(),
                row.authorLastName(), row.authorProfileSetupComplete());
        return new PostJson(row.id(), row.body(), author, row.modifiedOn(), liked, row.likeCount(), images.url(row.image(), base));
    }

    @Inject
    dev.stepbystep.web.WebConfig config;

    @Inject
    PostImages images;

    @Inject
    MediaConfig media;

    @Inject
    io.vertx.core.http.HttpServerRequest currentRequest;

    @Inject
    dev.stepbystep.web.auth.ClientAddress clientAddress;

    /** Logged in, or anonymous when {@code WEB_ANONYMOUS_POSTS} is on (401 otherwise). */
    @POST
    @Path("/")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@RequestBody(required = true) PostRequests.Write request, @Context io.vertx.core.http.HttpServerRequest http) {
        // Returning Uni makes the endpoint non-blocking, so Quarkus REST reads the JSON body on the
        // event loop in one go; a blocking endpoint would read it through a blocking stream on the
        // worker thread, a hand-off per chunk that cost about a third of the CPU of a create. The
        // body is validated here rather than by method validation (@Valid), which cost a tenth.
        Viewer viewer = Viewer.of(identity);
        if (!viewer.authenticated()) {
            requireAnonymousPosts();
        }
        validate(request);
        Uni<PostJson> created = viewer.authenticated() ? posts.create(viewer.userId(), request.body(), viewer)
                : posts.createAnonymous(clientAddress.of(http), request.body());
        URI base = base(http);
        return created.map(post -> Response.created(URI.create("/api/posts/" + post.id() + "/")).entity(images.present(post, base)).build());
    }

    private void requireAnonymousPosts() {
        if (!config.anonymousPosts().enabled()) {
            throw new io.quarkus.security.UnauthorizedException();
        }
    }

    private void validate(PostRequests.Write request) {
        if (request == null) {
            throw ApiException.badRequest("request: must not be null");
        }
        var violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
    }

    /**
     * The seed's Quasar app posts multipart: {@code body} and an optional {@code image} (PNG,
     * JPEG, GIF or WebP by its content, at most {@code WEB_MAX_IMAGE_SIZE} and
     * {@code MEDIA_MAX_PIXELS}; anything else is a 400 or 413 and nothing is stored).
     */
    @POST
    @Path("/")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response createMultipart(@RestForm String body, @RestForm("image") FileUpload image, @Context io.vertx.core.http.HttpServerRequest http) {
        Viewer viewer = Viewer.of(identity);
        if (!viewer.authenticated()) {
            requireAnonymousPosts();
        }
        PostRequests.Write request = new PostRequests.Write(body);
        validate(request);
        ImageCheck.Image checked = null;
        byte[] data = null;
        if (image != null && image.size() > 0) {
            long max = config.maxImageSize().asLongValue();
            if (image.size() > max) {
                throw new ApiException(413, "Content Too Large", "image: at most " + max + " bytes");
            }
            try {
                data = java.nio.file.Files.readAllBytes(image.uploadedFile());
                checked = ImageCheck.inspect(data, max, media.maxPixels());
            } catch (ImageCheck.Rejected e) {
                throw new ApiException(e.status(), e.status() == 413 ? "Content Too Large" : "Bad Request", e.getMessage());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("reading an uploaded image", e);
            }
        }
        PostJson post = posts.createFromForm(viewer, clientAddress.of(http), request.body(), checked, data);
        return Response.created(URI.create("/api/posts/" + post.id() + "/")).entity(images.present(post, base(http))).build();
    }

    @GET
    @Path("/{id}/")
    public PostJson get(@PathParam("id") String id) {
        return find(id);
    }

    @PUT
    @Path("/{id}/")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public PostJson put(@PathParam("id") String id, @Valid @NotNull PostRequests.Write request) {
        long postId = postId(id);
        posts.update(postId, Viewer.of(identity), request.body());
        return find(id);
    }

    @PATCH
    @Path("/{id}/")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public PostJson patch(@PathParam("id") String id, @Valid @NotNull PostRequests.Write request) {
        return put(id, request);
    }

    @DELETE
    @Path("/{id}/")
    @Authenticated
    public Response delete(@PathParam("id") String id) {
        posts.delete(postId(id), Viewer.of(identity));
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/like/")
    @Authenticated
    public PostJson like(@PathParam("id") String id) {
        long userId = Viewer.of(identity).requireUser();
        posts.toggleLike(postId(id), userId);
        return find(id);
    }

    private PostJson find(String id) {
        PostJson post = queries.find(postId(id), Viewer.of(identity)).orElseThrow(() -> ApiException.notFound("no post " + Ids.abbreviate(id)));
        return images.present(post, base(currentRequest));
    }

    /** Scheme and host the client used (behind the load balancer: its forwarded ones). */
    private static URI base(io.vertx.core.http.HttpServerRequest http) {
        URI request = URI.create(http.absoluteURI());
        return URI.create(request.getScheme() + "://" + request.getRawAuthority() + "/");
    }

    private static long postId(String id) {
        return Ids.parse(id).orElseThrow(() -> ApiException.notFound("no post " + Ids.abbreviate(id)));
    }
}
