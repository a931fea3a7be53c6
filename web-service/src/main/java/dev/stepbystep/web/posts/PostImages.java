package dev.stepbystep.web.posts;

import dev.stepbystep.shared.media.MediaKeys;
import dev.stepbystep.shared.media.MediaStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;

/**
 * A post's {@code image} as the API shows it: an absolute URL a browser can load for a while
 * ({@code MEDIA_URL_TTL}; presigned on S3, signed by web for the filesystem store), or null.
 * Posts and the post list cache hold the media key; the URL is made per response, so a cached
 * page never hands out an expired one.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // resolves the MediaStore at start: MEDIA_STORAGE=s3 without MEDIA_BUCKET stops the service
public class PostImages {

    @Inject
    MediaStore store;

    public String url(String key, URI base) {
        if (key == null || !MediaKeys.isKey(key)) {
            return null; // no image (or a value of the seed's schema we never wrote, which we do not serve)
        }
        return store.url(key, base).toString();
    }

    public PostJson present(PostJson post, URI base) {
        return new PostJson(post.id(), post.body(), post.createdBy(), post.modifiedOn(), post.liked(), post.likeCount(), url(post.image(), base));
    }
}
