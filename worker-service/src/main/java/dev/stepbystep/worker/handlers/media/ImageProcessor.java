package dev.stepbystep.worker.handlers.media;

import dev.stepbystep.shared.media.ImageFormat;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.Semaphore;

/**
 * The served copy of an uploaded image: decoded and encoded afresh, which keeps the pixels and
 * nothing else (no EXIF, GPS, XMP, ICC profile or comment survives), turned upright first as its
 * EXIF orientation asked, and scaled down to at most {@link #MAX_SIDE} pixels on its longest side.
 * A JPEG stays a JPEG; PNG, GIF (its first frame) and WebP become PNG, which keeps transparency.
 */
public final class ImageProcessor {

    public static final int MAX_SIDE = 1280;

    /**
     * Images decoded at once in this process, whatever the worker's concurrency. Decoding is
     * CPU-bound (more at once than cores buys nothing) and each decode may hold about 70 MB (a
     * 2,560 px square decoded, a turned copy, the scaled copy, the upload): the worker's heap is
     * sized for this many (docs/deploy.md).
     */
    static final int CONCURRENT_DECODES = 2;
    static final Semaphore DECODING = new Semaphore(CONCURRENT_DECODES, true);

    /** The processed image: its bytes and format. */
    public record Processed(byte[] data, ImageFormat format, int width, int height) {
    }

    private ImageProcessor() {
    }

    public static Processed process(byte[] original, long maxPixels) throws IOException {
        ImageFormat format = ImageFormat.sniff(original);
        if (format == null) {
            throw new IOException("not a PNG, JPEG, GIF or WebP image");
        }
        try {
            DECODING.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to decode", e);
        }
        try {
            return processNow(original, format, maxPixels);
        } finally {
            DECODING.release();
        }
    }

    private static Processed processNow(byte[] original, ImageFormat format, long maxPixels) throws IOException {
        BufferedImage image = decode(original, format, maxPixels);
        int orientation = format == ImageFormat.JPEG ? ExifOrientation.of(original) : 1;
        image = upright(image, orientation);
        image = fit(image, MAX_SIDE);
        ImageFormat out = format == ImageFormat.JPEG ? ImageFormat.JPEG : ImageFormat.PNG;
        return new Processed(encode(image, out), out, image.getWidth(), image.getHeight());
    }

    /**
     * Decodes the first frame. The size is read from the header first (a bomb is refused before
     * any pixel is decoded), and a large image is decoded subsampled to between {@link #MAX_SIDE}
     * and twice that on its longest side, so memory stays bounded whatever was uploaded.
     */
    static BufferedImage decode(byte[] data, ImageFormat format, long maxPixels) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.readerName());
        IOException last = new IOException("no image reader for " + format);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > maxPixels) {
                    throw new IOException("image of " + width + " x " + height + " pixels is over the limit of " + maxPixels);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int longest = Math.max(width, height);
                int step = Math.max(1, (longest + 2 * MAX_SIDE - 1) / (2 * MAX_SIDE)); // ceil: at most 2 x MAX_SIDE decoded
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } catch (IOException e) {
                last = e;
            } catch (RuntimeException e) {
                last = new IOException("cannot decode the " + format + " image: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
        throw last;
    }

    /** Applies an EXIF orientation (1-8) so the image is upright without the tag. */
    static BufferedImage upright(BufferedImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> { t.rotate(-Math.PI / 2); t.scale(-1, 1); }
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }
            case 7 -> { t.scale(-1, 1); t.translate(-h, 0); t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            case 8 -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> { }
        }
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, kind(image));
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Scales down (never up) so the longest side is at most {@code max}, halving in steps for quality. */
    static BufferedImage fit(BufferedImage image, int max) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (Math.max(w, h) <= max) {
            return copy(image);
        }
        double scale = (double) max / Math.max(w, h);
        int targetW = Math.max(1, (int) Math.round(w * scale));
        int targetH = Math.max(1, (int) Math.round(h * scale));
        BufferedImage current = image;
        while (current.getWidth() / 2 >= targetW && current.getHeight() / 2 >= targetH) {
            current = scale(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        return scale(current, targetW, targetH);
    }

    private static BufferedImage scale(BufferedImage image, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, kind(image));
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Into a plain RGB(A) raster: drops any colour model or palette an encoder might copy metadata from. */
    private static BufferedImage copy(BufferedImage image) {
        return scale(image, image.getWidth(), image.getHeight());
    }

    private static int kind(BufferedImage image) {
        return image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    }

    static byte[] encode(BufferedImage image, ImageFormat format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (format == ImageFormat.JPEG) {
            BufferedImage rgb = image;
            if (image.getColorModel().hasAlpha()) {
                rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
                Graphics2D g = rgb.createGraphics();
                g.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
                g.dispose();
            }
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.85f);
                // No metadata argument: the writer emits a bare JFIF header, nothing of the upload's.
                writer.write(null, new IIOImage(rgb, null, null), param);
            } finally {
                writer.dispose();
            }
        } else if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer");
        }
        return bytes.toByteArray();
    }
}
