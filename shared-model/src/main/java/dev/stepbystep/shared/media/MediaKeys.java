package dev.stepbystep.shared.media;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The keys of post images: {@code posts/<uuid>/original.<ext>} as uploaded, and
 * {@code posts/<uuid>/display.<ext>} as served once processed. Nothing else is a key, so a key
 * from a path or a job payload cannot name another file.
 */
public final class MediaKeys {

    private static final Pattern KEY = Pattern.compile("posts/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/(original|display)\\.(png|jpg|gif|webp)");

    private MediaKeys() {
    }

    public static String original(ImageFormat format) {
        return "posts/" + UUID.randomUUID() + "/original." + format.extension();
    }

    /** The processed copy's key beside {@code original}. */
    public static String display(String original, ImageFormat format) {
        check(original);
        return original.substring(0, original.lastIndexOf('/')) + "/display." + format.extension();
    }

    public static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    public static String check(String key) {
        if (!isKey(key)) {
            throw new IllegalArgumentException("not a media key: " + (key == null ? null : key.length() > 80 ? key.substring(0, 80) + "…" : key));
        }
        return key;
    }

    public static String contentType(String key) {
        return ImageFormat.ofExtension(key.substring(key.lastIndexOf('.') + 1)).contentType();
    }
}
