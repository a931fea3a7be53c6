package dev.stepbystep.web.media;

import dev.stepbystep.shared.media.FileMediaStore;
import dev.stepbystep.shared.media.MediaKeys;
import dev.stepbystep.shared.media.MediaStore;
import dev.stepbystep.web.errors.ApiException;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import java.nio.file.Files;

/**
 * Post images of the filesystem store ({@code MEDIA_STORAGE=filesystem}), served to holders of a
 * URL it signed ({@code ?expires=&signature=}), as S3 serves presigned URLs: 403 for a URL
 * that is forged, altered or expired, 404 for an image that is gone (and always with S3, whose
 * URLs point at the bucket).
 */
@Path("/media")
public class MediaResource {

    @Inject
    MediaStore store;

    @GET
    @Path("/{key: .+}")
    @Blocking
    public Response get(@PathParam("key") String key, @QueryParam("expires") String expires, @QueryParam("signature") String signature) {
        if (!(store instanceof FileMediaStore files) || !MediaKeys.isKey(key)) {
            throw ApiException.notFound("no such image");
        }
        if (!files.verify(key, expires, signature)) {
            throw ApiException.forbidden("this image link is not valid or has expired; reload the page for a new one");
        }
        java.nio.file.Path file = files.path(key);
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("no such image");
        }
        long maxAge = Math.max(0, Long.parseLong(expires) - java.time.Instant.now().getEpochSecond());
        return Response.ok(file.toFile(), MediaKeys.contentType(key))
                .header("Cache-Control", "private, max-age=" + maxAge)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .build();
    }
}
