package dev.stepbystep.worker.handlers.media;

import dev.stepbystep.shared.media.ImageFormat;
import dev.stepbystep.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static boolean isOrange(Color c) {
        return c.getRed() > 200 && c.getGreen() > 150 && c.getBlue() < 80;
    }
}
