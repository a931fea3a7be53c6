package dev.stepbystep.shared.media;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Images in a private S3 bucket ({@code MEDIA_BUCKET}), as the seed's {@code PrivateMediaStorage}:
 * browsers get presigned GET URLs that expire after {@code MEDIA_URL_TTL}; the bucket itself
 * blocks public access (deploy/base.yaml).
 */
public final class S3MediaStore implements MediaStore {

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final Duration ttl;

    public S3MediaStore(S3Client s3, S3Presigner presigner, String bucket, Duration ttl) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.ttl = ttl;
    }

    @Override
    public void put(String key, byte[] data, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(MediaKeys.check(key)).contentType(contentType), RequestBody.fromBytes(data));
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(MediaKeys.check(key))).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(MediaKeys.check(key)));
    }

    @Override
    public URI url(String key, URI base) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key(MediaKeys.check(key)))).url().toString());
    }
}
