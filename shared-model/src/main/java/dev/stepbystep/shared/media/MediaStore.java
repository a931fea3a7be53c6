package dev.stepbystep.shared.media;

import java.net.URI;
import java.util.Optional;

/**
 * Post images in a backing service: S3 in production, a directory locally. Keys are the
 * store's own ({@link MediaKeys}); a browser gets a short-lived URL, never the object itself.
 */
public interface MediaStore {

    void put(String key, byte[] data, String contentType);

    /** The object, or empty when there is none under {@code key}. */
    Optional<byte[]> get(String key);

    /** Deletes the object; deleting a missing one is not an error. */
    void delete(String key);

    /**
     * A URL a browser can load for a while ({@code MEDIA_URL_TTL}); {@code base} is the scheme
     * and host the request came to, for stores served by web itself.
     */
    URI url(String key, URI base);
}
