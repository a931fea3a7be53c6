package dev.stepbystep.worker.handlers.media;

import dev.stepbystep.shared.media.ImageFormat;
import dev.stepbystep.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The served copy: no metadata left, at most 1280 px, upright, in a format a browser shows. */
class ImageProcessorTest {

    private static final long MAX_PIXELS = 40_000_000;

    @Test
    void aPhotoLosesItsExifAndGpsAndIsScaledDown() throws IOException {
        byte[] upload = TestImages.jpegWithGps(3000, 2000, 1);
        assertThat(TestImages.contains(upload, "Exif")).isTrue();
        assertThat(TestImages.contains(upload, TestImages.GPS_MARKER)).isTrue();

        ImageProcessor.Processed out = ImageProcessor.process(upload, MAX_PIXELS);

        assertThat(out.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(TestImages.contains(out.data(), "Exif")).isFalse();
        assertThat(TestImages.contains(out.data(), TestImages.GPS_MARKER)).isFalse();
        assertThat(TestImages.size(out.data())).containsExactly(1280, 853);
        assertThat(new int[] {out.width(), out.height()}).containsExactly(1280, 853);
    }

    @Test
    void theExifOrientationIsAppliedBeforeItIsDropped() throws IOException {
        // Orientation 6: the camera was turned; the picture is shown rotated 90° clockwise.
        byte[] upload = TestImages.jpegWithGps(400, 200, 6);
        ImageProcessor.Processed out = ImageProcessor.process(upload, MAX_PIXELS);
        assertThat(TestImages.size(out.data())).containsExactly(200, 400);
        // The stored top-left corner (orange) is now at the top right.
        assertThat(isOrange(TestImages.pixel(out.data(), 190, 10))).isTrue();
        assertThat(isOrange(TestImages.pixel(out.data(), 10, 10))).isFalse();
    }

    @Test
    void pngGifAndWebpBecomePngWithoutTheirTextAndSmallOnesKeepTheirSize() throws IOException {
        ImageProcessor.Processed png = ImageProcessor.process(TestImages.pngWithText(300, 200, "secret-location"), MAX_PIXELS);
        assertThat(png.format()).isEqualTo(ImageFormat.PNG);
        assertThat(TestImages.contains(png.data(), "secret-location")).isFalse();
        assertThat(TestImages.size(png.data())).containsExactly(300, 200);

        assertThat(ImageProcessor.process(TestImages.gif(2000, 500), MAX_PIXELS)).satisfies(gif -> {
            assertThat(gif.format()).isEqualTo(ImageFormat.PNG);
            assertThat(TestImages.size(gif.data())).containsExactly(1280, 320);
        });
        assertThat(ImageProcessor.process(TestImages.WEBP_1X1, MAX_PIXELS)).satisfies(webp -> {
            assertThat(webp.format()).isEqualTo(ImageFormat.PNG);
            assertThat(TestImages.size(webp.data())).containsExactly(1, 1);
        });
    }

    @Test
    void aBombOrBrokenPixelsAreRefusedBeforeDecoding() {
        assertThatThrownBy(() -> ImageProcessor.process(TestImages.pngBomb(100_000, 100_000), MAX_PIXELS))
                .isInstanceOf(IOException.class).hasMessageContaining("over the limit");
        byte[] png = TestImages.png(100, 100);
        byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);
        assertThatThrownBy(() -> ImageProcessor.process(truncated, MAX_PIXELS)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ImageProcessor.process("not an image".getBytes(), MAX_PIXELS)).isInstanceOf(IOException.class);
    }

    /** The decoded copy is what costs memory: never more than 2 x MAX_SIDE on its longest side, never under MAX_SIDE. */
    @Test
    void aLargeImageIsDecodedSubsampledToAtMostTwiceTheServedSize() throws IOException {
        for (int side : new int[] {1000, 2560, 2561, 3839, 5119, 5121, 9000}) {
            BufferedImage decoded = ImageProcessor.decode(TestImages.png(side, 64), ImageFormat.PNG, MAX_PIXELS);
            assertThat(decoded.getWidth()).as("decoded width of a %d px wide image", side)
                    .isLessThanOrEqualTo(2 * ImageProcessor.MAX_SIDE)
                    .isGreaterThanOrEqualTo(Math.min(side, ImageProcessor.MAX_SIDE));
        }
    }

    /** At most {@link ImageProcessor#CONCURRENT_DECODES} images are decoded at once per process, whatever the worker's concurrency. */
    @Test
    void imagesWaitForADecodingPermit() throws Exception {
        byte[] png = TestImages.png(200, 100);
        Semaphore permits = ImageProcessor.DECODING;
        permits.acquire(ImageProcessor.CONCURRENT_DECODES);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<ImageProcessor.Processed> waiting = other.submit(() -> ImageProcessor.process(png, MAX_PIXELS));
            await().atMost(Duration.ofSeconds(10)).until(() -> permits.getQueueLength() == 1);
            assertThat(waiting).isNotDone();
            permits.release(ImageProcessor.CONCURRENT_DECODES);
            assertThat(waiting.get(10, TimeUnit.SECONDS).width()).isEqualTo(200);
            assertThat(permits.availablePermits()).isEqualTo(ImageProcessor.CONCURRENT_DECODES);
        } finally {
            other.shutdownNow();
        }
    }

    private static boolean isOrange(Color c) {
        return c.getRed() > 200 && c.getGreen() > 150 && c.getBlue() < 80;
    }
}
