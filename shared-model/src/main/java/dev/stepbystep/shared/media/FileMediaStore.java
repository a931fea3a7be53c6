package dev.stepbystep.shared.media;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Images in a directory ({@code MEDIA_ROOT}), for {@code bin/run-local} and compose. Web serves
 * them under {@code /media/<key>} to holders of a URL signed here, which expires like a
 * presigned S3 URL: the images stay as private as in S3, and a URL that leaked stops working.
 */
public final class FileMediaStore implements MediaStore {

    public static final String PATH = "/media/";

    private final Path root;
    private final byte[] signingKey;
    private final Duration ttl;
    private final Clock clock;

    public FileMediaStore(Path root, String secretKey, Duration ttl, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.signingKey = ("media:" + secretKey).getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
        this.clock = clock;
    }

    private Path file(String key) {
        return root.resolve(MediaKeys.check(key));
    }

    @Override
    public void put(String key, byte[] data, String contentType) {
        Path target = file(key);
        try {
            Files.createDirectories(target.getParent());
            // Written beside, then moved into place: a reader never sees half a file.
            Path partial = Files.createTempFile(target.getParent(), ".upload-", ".part");
            Files.write(partial, data);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + key + " under " + root, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(file(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key + " under " + root, e);
        }
    }

    @Override
    public void delete(String key) {
        Path target = file(key);
        try {
            Files.deleteIfExists(target);
            try (var left = Files.list(target.getParent())) {
                if (left.findAny().isEmpty()) {
                    Files.deleteIfExists(target.getParent());
                }
            }
        } catch (NoSuchFileException gone) {
            // the directory went with the other image of the post
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + key + " under " + root, e);
        }
    }

    @Override
    public URI url(String key, URI base) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String origin = base.getScheme() + "://" + base.getRawAuthority();
        return URI.create(origin + PATH + MediaKeys.check(key) + "?expires=" + expires + "&signature=" + signature(key, expires));
    }

    /** True when {@code signature} was made by {@link #url} for this key and has not expired. */
    public boolean verify(String key, String expires, String signature) {
        if (!MediaKeys.isKey(key) || expires == null || signature == null || !expires.matches("[0-9]{1,12}")) {
            return false;
        }
        long at = Long.parseLong(expires);
        return at >= clock.instant().getEpochSecond()
                && MessageDigest.isEqual(signature(key, at).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }

    /** The file behind a verified key. */
    public Path path(String key) {
        return file(key);
    }

    private String signature(String key, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((key + "|" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
