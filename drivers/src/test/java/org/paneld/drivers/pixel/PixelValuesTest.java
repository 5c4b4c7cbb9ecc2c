package org.paneld.drivers.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small value types of the pixel package (Rect, RgbImage, PixelFormat, Framebuffer's size
 * checks) and Convert's byte counts and direct-buffer paths, with values worked out by hand.
 * Written from the survivors of {@code bench/run mutation} (group pixel).
 */
class PixelValuesTest {

    @Test
    void rectEdgesEmptinessAndArea() {
        Rect r = new Rect(3, 5, 7, 11);
        assertEquals(10, r.right());
        assertEquals(16, r.bottom());
        assertEquals(77, r.area());
        assertFalse(r.isEmpty());
        assertTrue(new Rect(0, 0, 0, 4).isEmpty());
        assertTrue(new Rect(0, 0, 4, 0).isEmpty());
        assertTrue(new Rect(0, 0, -1, 4).isEmpty());
        assertFalse(new Rect(0, 0, 1, 1).isEmpty());
        assertEquals(0, new Rect(0, 0, 0, 9).area());
        assertEquals(0, new Rect(0, 0, -3, -3).area(), "a negative size is empty, not an area of 9");
        assertEquals((long) Integer.MAX_VALUE * 2, new Rect(0, 0, Integer.MAX_VALUE, 2).area());
        assertEquals((long) Integer.MAX_VALUE + 5, new Rect(5, Integer.MAX_VALUE, 1, 5).bottom(), "no wrap");
        assertEquals("7x11+3+5", r.toString());
    }

    @Test
    void rectIntersect() {
        Rect a = new Rect(0, 0, 10, 10);
        assertEquals(new Rect(4, 6, 6, 4), a.intersect(new Rect(4, 6, 20, 20)));
        assertEquals(new Rect(2, 3, 4, 5), a.intersect(new Rect(2, 3, 4, 5)));
        assertEquals(new Rect(0, 0, 3, 2), new Rect(-5, -5, 8, 7).intersect(a));
        // touching edges do not overlap: size 0 at the far corner
        Rect touch = a.intersect(new Rect(10, 0, 5, 5));
        assertEquals(new Rect(10, 0, 0, 0), touch);
        assertTrue(touch.isEmpty());
        assertEquals(new Rect(0, 10, 0, 0), a.intersect(new Rect(0, 10, 5, 5)));
        assertEquals(new Rect(20, 20, 0, 0), a.intersect(new Rect(20, 20, 1, 1)));
        // one pixel of overlap is not empty
        assertEquals(new Rect(9, 9, 1, 1), a.intersect(new Rect(9, 9, 5, 5)));
    }

    @Test
    void rectUnion() {
        Rect a = new Rect(2, 3, 4, 5);
        Rect b = new Rect(10, 1, 2, 2);
        assertEquals(new Rect(2, 1, 10, 7), a.union(b));
        assertEquals(new Rect(2, 1, 10, 7), b.union(a));
        Rect empty = new Rect(100, 100, 0, 0);
        assertSame(a, empty.union(a));
        assertSame(a, a.union(empty));
        assertEquals(a, a.union(new Rect(3, 4, 1, 1)));
    }

    @Test
    void rectInside() {
        assertTrue(new Rect(0, 0, 4, 3).isInside(4, 3));
        assertFalse(new Rect(1, 0, 4, 3).isInside(4, 3));
        assertFalse(new Rect(0, 1, 4, 3).isInside(4, 3));
        assertFalse(new Rect(-1, 0, 1, 1).isInside(4, 3));
        assertFalse(new Rect(0, -1, 1, 1).isInside(4, 3));
        assertFalse(new Rect(0, 0, 0, 1).isInside(4, 3));
        assertFalse(new Rect(Integer.MAX_VALUE, 0, Integer.MAX_VALUE, 1).isInside(Integer.MAX_VALUE, 1),
                "the right edge must not wrap");
    }

    @Test
    void pixelFormatParseAndLineBytes() {
        assertEquals(PixelFormat.XRGB8888, PixelFormat.parse("xrgb8888"));
        assertEquals(PixelFormat.RGB565, PixelFormat.parse("RGB565"));
        assertEquals(PixelFormat.R1, PixelFormat.parse("r1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PixelFormat.parse("rgb555"));
        assertTrue(e.getMessage().contains("'rgb555'") && e.getMessage().contains("XRGB8888"), e.getMessage());
        assertEquals(1, PixelFormat.R1.lineBytes(1));
        assertEquals(1, PixelFormat.R1.lineBytes(8));
        assertEquals(2, PixelFormat.R1.lineBytes(9));
        assertEquals(16, PixelFormat.R1.lineBytes(128));
        assertEquals(0, PixelFormat.R1.bytesPerPixel());
        assertEquals(12, PixelFormat.RGB666.lineBytes(4));
        assertEquals(400, PixelFormat.XRGB8888.lineBytes(100));
        assertTrue(PixelFormat.XRGB8888.isClientFormat());
        assertTrue(PixelFormat.RGB565.isClientFormat());
        assertFalse(PixelFormat.RGB565_BE.isClientFormat());
    }

    @Test
    void framebufferSizeChecks() {
        // smallest valid: 1x1, stride exactly one line, buffer exactly one line
        Framebuffer one = new Framebuffer(1, 1, 4, PixelFormat.XRGB8888, ByteBuffer.allocate(4));
        assertEquals(1, one.width());
        assertThrows(IllegalArgumentException.class,
                () -> new Framebuffer(0, 1, 4, PixelFormat.XRGB8888, ByteBuffer.allocate(4)));
        assertThrows(IllegalArgumentException.class,
                () -> new Framebuffer(1, 0, 4, PixelFormat.XRGB8888, ByteBuffer.allocate(4)));
        assertThrows(IllegalArgumentException.class,
                () -> new Framebuffer(2, 1, 7, PixelFormat.XRGB8888, ByteBuffer.allocate(8)));
        // the last line needs only lineBytes, not a whole stride: 3 lines of stride 12 for 2 pixels = 24 + 8
        Framebuffer padded = new Framebuffer(2, 3, 12, PixelFormat.XRGB8888, ByteBuffer.allocate(32));
        assertEquals(12, padded.stride());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Framebuffer(2, 3, 12, PixelFormat.XRGB8888, ByteBuffer.allocate(31)));
        assertTrue(e.getMessage().contains("needs 32 bytes"), e.getMessage());
    }

    @Test
    void rgbImageBasics(@TempDir Path dir) throws IOException {
        RgbImage img = RgbImage.blank(3, 2);
        assertEquals(6, img.rgb().length);
        img.set(2, 1, 0xFF123456);
        img.set(1, 0, 0x00ABCDEF);
        assertEquals(0x123456, img.get(2, 1), "set keeps only 0xRRGGBB");
        assertEquals(0xABCDEF, img.get(1, 0));
        assertEquals(0, img.get(0, 1));
        assertEquals(0x123456, img.rgb()[5]);
        assertEquals(0xABCDEF, img.rgb()[1]);

        RgbImage copy = img.copy();
        assertEquals(img, copy);
        assertEquals(img.hashCode(), copy.hashCode());
        assertNull(img.firstDifference(copy));
        copy.set(0, 1, 0x010203);
        assertNotEquals(img, copy);
        assertEquals(0, img.get(0, 1), "copy does not share pixels");
        assertEquals("0,1: expected 0x0 got 0x10203", img.firstDifference(copy));
        assertEquals("size 2x3 instead of 3x2", img.firstDifference(RgbImage.blank(2, 3)));
        assertNotEquals(img, RgbImage.blank(2, 3));
        assertNotEquals(RgbImage.blank(3, 2).hashCode(), RgbImage.blank(2, 3).hashCode());
        assertNotEquals(img, "not an image");

        Path png = dir.resolve("img.png");
        img.writePng(png);
        RgbImage back = RgbImage.readImage(png);
        assertEquals(3, back.width());
        assertEquals(2, back.height());
        assertArrayEquals(img.rgb(), back.rgb());
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "not a png");
        IOException io = assertThrows(IOException.class, () -> RgbImage.readImage(junk));
        assertTrue(io.getMessage().contains("junk.png"), io.getMessage());
    }

    @Test
    void rgbImageRejectsWrongSizes() {
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(0, 1, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(1, 0, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new int[3]));
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new int[5]));
        assertEquals(1, new RgbImage(1, 1, new int[1]).rgb().length);
    }

    private static Framebuffer pattern(PixelFormat format, int w, int h, boolean direct) {
        int stride = (int) format.lineBytes(w) + 4; // padded lines
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(stride * h) : ByteBuffer.allocate(stride * h);
        Framebuffer fb = new Framebuffer(w, h, stride, format, buf);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                fb.setRgb(x, y, (x * 37 + 11) << 16 | (y * 53 + 7) << 8 | (x * 13 + y * 29) & 0xFF);
            }
        }
        return fb;
    }

    @Test
    void convertReturnsTheBytesItWroteOnEveryPath() {
        Rect r = new Rect(1, 1, 5, 3);
        PixelFormat[][] paths = {
            {PixelFormat.XRGB8888, PixelFormat.RGB565_BE},
            {PixelFormat.XRGB8888, PixelFormat.RGB666},
            {PixelFormat.XRGB8888, PixelFormat.RGB888},
            {PixelFormat.RGB565, PixelFormat.RGB565_BE},
            {PixelFormat.RGB565, PixelFormat.RGB666},
        };
        for (PixelFormat[] p : paths) {
            Framebuffer fb = pattern(p[0], 8, 6, false);
            int n = Convert.outputBytes(r, p[1]);
            byte[] dst = new byte[n + 3];
            assertEquals(n, Convert.convert(fb, r, 0, p[1], false, dst, 3), p[0] + "->" + p[1]);
            assertEquals(n, Convert.convert(fb, r, 90, p[1], false, new byte[n], 0), p[0] + "->" + p[1] + " at 90");
        }
    }

    @Test
    void convertIntoAByteBufferThatFitsExactly() {
        Framebuffer fb = pattern(PixelFormat.XRGB8888, 8, 6, false);
        Rect r = new Rect(2, 1, 4, 4);
        int n = Convert.outputBytes(r, PixelFormat.RGB565_BE);
        byte[] expected = new byte[n];
        Convert.convert(fb, r, 0, PixelFormat.RGB565_BE, false, expected, 0);

        ByteBuffer heap = ByteBuffer.allocate(n);
        assertEquals(n, Convert.convert(fb, r, 0, PixelFormat.RGB565_BE, false, heap));
        assertEquals(n, heap.position());
        assertArrayEquals(expected, heap.array());

        ByteBuffer direct = ByteBuffer.allocateDirect(n + 2);
        direct.position(2);
        assertEquals(n, Convert.convert(fb, r, 0, PixelFormat.RGB565_BE, false, direct));
        assertEquals(n + 2, direct.position());
        byte[] got = new byte[n];
        direct.position(2);
        direct.get(got);
        assertArrayEquals(expected, got);

        assertThrows(IllegalArgumentException.class,
                () -> Convert.convert(fb, r, 0, PixelFormat.RGB565_BE, false, ByteBuffer.allocate(n - 1)));
    }

    @Test
    void directSourcesConvertAsHeapSourcesDo() {
        for (PixelFormat src : new PixelFormat[] {PixelFormat.XRGB8888, PixelFormat.RGB565}) {
            Framebuffer heap = pattern(src, 7, 5, false);
            Framebuffer direct = pattern(src, 7, 5, true);
            Rect r = new Rect(1, 1, 5, 3);
            for (int rot : new int[] {0, 90, 180, 270}) {
                for (PixelFormat target : new PixelFormat[] {PixelFormat.RGB565_BE, PixelFormat.RGB666}) {
                    int n = Convert.outputBytes(r, target);
                    byte[] a = new byte[n];
                    byte[] b = new byte[n];
                    Convert.convert(heap, r, rot, target, false, a, 0);
                    Convert.convert(direct, r, rot, target, false, b, 0);
                    assertArrayEquals(a, b, src + " direct vs heap at " + rot + " to " + target);
                    // and the first output pixel is the source pixel the rotation puts first
                    int[] first = firstPixelSource(r, rot);
                    int want = heap.rgb(first[0], first[1]);
                    int got = target == PixelFormat.RGB565_BE
                            ? Rgb.from565((a[0] & 0xFF) << 8 | (a[1] & 0xFF))
                            : (a[0] & 0xFC) << 16 | (a[1] & 0xFC) << 8 | (a[2] & 0xFC);
                    int expect = target == PixelFormat.RGB565_BE ? Rgb.quantize565(want) : want & 0xFCFCFC;
                    assertEquals(expect, got, src + " first pixel at " + rot + " to " + target);
                }
            }
        }
    }

    /** The source pixel that lands at the top-left of the output for each rotation (counter-clockwise). */
    private static int[] firstPixelSource(Rect r, int rot) {
        switch (rot) {
            case 0: return new int[] {r.x(), r.y()};
            case 90: return new int[] {r.x() + r.width() - 1, r.y()};
            case 180: return new int[] {r.x() + r.width() - 1, r.y() + r.height() - 1};
            default: return new int[] {r.x(), r.y() + r.height() - 1};
        }
    }
}
