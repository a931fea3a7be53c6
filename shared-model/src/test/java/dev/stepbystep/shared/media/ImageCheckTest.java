package dev.stepbystep.shared.media;

import dev.stepbystep.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Uploads are recognised by their content: the four formats pass, anything else (however named) does not. */
class ImageCheckTest {

    private static final long MAX_BYTES = 5 * 1024 * 1024;
    private static final long MAX_PIXELS = 40_000_000;

    @Test
    void theFourFormatsAreRecognisedWithTheirSize() throws Exception {
        assertThat(ImageCheck.inspect(TestImages.png(40, 30), MAX_BYTES, MAX_PIXELS)).isEqualTo(new ImageCheck.Image(ImageFormat.PNG, 40, 30));
        assertThat(ImageCheck.inspect(TestImages.jpegWithGps(64, 48, 6), MAX_BYTES, MAX_PIXELS))
                .isEqualTo(new ImageCheck.Image(ImageFormat.JPEG, 64, 48));
        assertThat(ImageCheck.inspect(TestImages.gif(10, 20), MAX_BYTES, MAX_PIXELS)).isEqualTo(new ImageCheck.Image(ImageFormat.GIF, 10, 20));
        assertThat(ImageCheck.inspect(TestImages.WEBP_1X1, MAX_BYTES, MAX_PIXELS)).isEqualTo(new ImageCheck.Image(ImageFormat.WEBP, 1, 1));
    }

    @Test
    void textOrABrokenHeaderIsNotAnImage() {
        assertRejected("just some text, named cat.png".getBytes(StandardCharsets.UTF_8), 400, "PNG, JPEG, GIF or WebP");
        assertRejected(new byte[0], 400, "PNG, JPEG, GIF or WebP");
        assertRejected("<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(StandardCharsets.UTF_8), 400, "PNG, JPEG, GIF or WebP");
        byte[] png = TestImages.png(10, 10);
        assertRejected(java.util.Arrays.copyOf(png, 12), 400, "not a readable PNG");
        byte[] jpegSignatureOnly = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2, 3};
        assertRejected(jpegSignatureOnly, 400, "not a readable JPEG");
    }

    @Test
    void tooManyBytesIs413AndTooManyPixelsIs400() {
        assertRejected(TestImages.png(10, 10), 10, 413, "at most 10 bytes");
        byte[] bomb = TestImages.pngBomb(100_000, 100_000);
        assertThat(bomb.length).isLessThan(100);
        assertRejected(bomb, 400, "at most 40000000 pixels");
    }

    private static void assertRejected(byte[] data, int status, String message) {
        assertRejected(data, MAX_BYTES, status, message);
    }

    private static void assertRejected(byte[] data, long maxBytes, int status, String message) {
        assertThatThrownBy(() -> ImageCheck.inspect(data, maxBytes, MAX_PIXELS)).isInstanceOfSatisfying(ImageCheck.Rejected.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
