package dev.stepbystep.shared.media;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * What an uploaded file really is, from its content (never its name or declared type): one of
 * {@link ImageFormat}'s signatures, and a header an image reader can parse, giving a size
 * within the pixel limit. Only the header is read, so a decompression bomb (a small file that
 * claims a huge canvas) is refused before any pixel is decoded.
 */
public final class ImageCheck {

    /** The upload is not an image we take; {@code status} is the HTTP status to answer (400 or 413). */
    public static final class Rejected extends Exception {
        private final int status;

        public Rejected(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public record Image(ImageFormat format, int width, int height) {
    }

    private ImageCheck() {
    }

    public static Image inspect(byte[] data, long maxBytes, long maxPixels) throws Rejected {
        if (data.length > maxBytes) {
            throw new Rejected(413, "image: at most " + maxBytes + " bytes");
        }
        ImageFormat format = ImageFormat.sniff(data);
        if (format == null) {
            throw new Rejected(400, "image: must be a PNG, JPEG, GIF or WebP image");
        }
        int[] size = size(data, format);
        if (size == null || size[0] < 1 || size[1] < 1) {
            throw new Rejected(400, "image: not a readable " + format.name() + " image");
        }
        if ((long) size[0] * size[1] > maxPixels) {
            throw new Rejected(400, "image: at most " + maxPixels + " pixels (this one is " + size[0] + " x " + size[1] + ")");
        }
        return new Image(format, size[0], size[1]);
    }

    /** Width and height from the header, or null when no reader can parse it. */
    static int[] size(byte[] data, ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.readerName());
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } catch (IOException | RuntimeException e) {
                // this reader cannot parse it; another may
            } finally {
                reader.dispose();
            }
        }
        return null;
    }
}
