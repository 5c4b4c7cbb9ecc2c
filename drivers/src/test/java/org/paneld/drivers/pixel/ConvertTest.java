package org.paneld.drivers.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.paneld.drivers.testkit.PixelOracle;

/** Conversion correctness against a slow per-pixel reference, plus the API's checks. */
class ConvertTest {

    /**
     * The slow reference, independent of the code under test: per pixel, the source read from its
     * bytes and converted by the kernel's formulas ({@link PixelOracle}, never Framebuffer.rgb or Rgb).
     */
    static byte[] reference(Framebuffer fb, Rect r, int rotation, PixelFormat target, boolean swap) {
        boolean turned = rotation == 90 || rotation == 270;
        int ow = turned ? r.height() : r.width(), oh = turned ? r.width() : r.height();
        int bpp = target == PixelFormat.RGB666 || target == PixelFormat.RGB888 ? 3 : 2;
        byte[] out = new byte[ow * oh * bpp];
        int o = 0;
        for (int j = 0; j < oh; j++) {
            for (int i = 0; i < ow; i++) {
                int sx, sy;
                switch (rotation) {
                    case 0: sx = r.x() + i; sy = r.y() + j; break;
                    case 90: sx = r.x() + r.width() - 1 - j; sy = r.y() + i; break;
                    case 180: sx = r.x() + r.width() - 1 - i; sy = r.y() + r.height() - 1 - j; break;
                    default: sx = r.x() + j; sy = r.y() + r.height() - 1 - i; break;
                }
                int c = PixelOracle.source(fb, sx, sy);
                if (swap) {
                    c = (c & 0xFF) << 16 | (c & 0xFF00) | (c >> 16 & 0xFF);
                }
                switch (target) {
                    case RGB565_BE: {
                        int v = PixelOracle.xrgb8888ToRgb565(c);
                        out[o++] = (byte) (v >> 8);
                        out[o++] = (byte) v;
                        break;
                    }
                    case RGB565: {
                        int v = PixelOracle.xrgb8888ToRgb565(c);
                        out[o++] = (byte) v;
                        out[o++] = (byte) (v >> 8);
                        break;
                    }
                    case RGB666: {
                        for (byte v : PixelOracle.rgb666(c)) {
                            out[o++] = v;
                        }
                        break;
                    }
                    default:
                        out[o++] = (byte) (c >> 16);
                        out[o++] = (byte) (c >> 8);
                        out[o++] = (byte) c;
                }
            }
        }
        return out;
    }

    static Framebuffer random(int w, int h, int pad, PixelFormat f, long seed) {
        int stride = (int) f.lineBytes(w) + pad;
        byte[] bytes = new byte[stride * h];
        new Random(seed).nextBytes(bytes);
        return new Framebuffer(w, h, stride, f, ByteBuffer.wrap(bytes));
    }

    @Test
    void xrgbToRgb565BeMatchesReferenceOnOddShapes() {
        for (int w : new int[] {1, 3, 4, 5, 7, 8, 9, 33}) {
            for (int x : new int[] {0, 1, 2, 3}) {
                if (x >= w) {
                    continue;
                }
                Framebuffer fb = random(w + 3, 5, 4, PixelFormat.XRGB8888, w * 31L + x);
                Rect r = new Rect(x, 1, w - x, 3);
                byte[] out = new byte[Convert.outputBytes(r, PixelFormat.RGB565_BE)];
                assertEquals(out.length, Convert.convert(fb, r, PixelFormat.RGB565_BE, out, 0));
                assertArrayEquals(reference(fb, r, 0, PixelFormat.RGB565_BE, false), out, "w=" + w + " x=" + x);
            }
        }
    }

    @Test
    void scalarAndSimdPathsAgree() {
        boolean simdPossible = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && VectorConvert.usable() && !Boolean.getBoolean("paneld.convert.scalar");
        // the drivers' surefire runs with --add-modules jdk.incubator.vector: on a 256-bit CPU the SIMD path is live
        assertEquals(simdPossible, Convert.VECTORIZED);
        for (int w : new int[] {1, 7, 8, 15, 16, 17, 31, 33, 64, 320}) {
            Framebuffer fb = random(w + 2, 3, 8, PixelFormat.XRGB8888, w);
            Rect r = new Rect(1, 1, w, 2);
            byte[] scalar = new byte[w * 4], simd = new byte[w * 4];
            ByteBuffer px = fb.pixels();
            Convert.xrgb8888ToRgb565Be(px.array(), px.arrayOffset(), fb.stride(), r, scalar, 0, false);
            if (Convert.VECTORIZED) {
                Convert.xrgb8888ToRgb565Be(px.array(), px.arrayOffset(), fb.stride(), r, simd, 0, true);
                assertArrayEquals(scalar, simd, "w=" + w);
            }
            assertArrayEquals(reference(fb, r, 0, PixelFormat.RGB565_BE, false),
                    java.util.Arrays.copyOf(scalar, w * 4), "w=" + w);
        }
    }

    @Test
    void knownValues() {
        Framebuffer fb = Framebuffer.allocate(2, 1, PixelFormat.XRGB8888);
        PixelOracle.put(fb, 0, 0, 0xFF0000);
        PixelOracle.put(fb, 1, 0, 0x12345F);
        byte[] out = new byte[4];
        Convert.convert(fb, fb.bounds(), PixelFormat.RGB565_BE, out, 0);
        // red = F800; 0x12345F = r 0x12>>3=2, g 0x34>>2=13, b 0x5F>>3=11 -> 0x11AB
        assertArrayEquals(new byte[] {(byte) 0xF8, 0x00, 0x11, (byte) 0xAB}, out);
        byte[] o3 = new byte[6];
        Convert.convert(fb, fb.bounds(), 0, PixelFormat.RGB666, false, o3, 0);
        assertArrayEquals(new byte[] {(byte) 0xFC, 0, 0, 0x10, 0x34, 0x5C}, o3);
        Convert.convert(fb, fb.bounds(), 0, PixelFormat.RGB888, true, o3, 0);
        assertArrayEquals(new byte[] {0, 0, (byte) 0xFF, 0x5F, 0x34, 0x12}, o3);
    }

    @Test
    void rgb565SourceIsAByteSwapTo565Be() {
        Framebuffer fb = random(7, 3, 2, PixelFormat.RGB565, 5);
        Rect r = new Rect(1, 1, 5, 2);
        byte[] out = new byte[Convert.outputBytes(r, PixelFormat.RGB565_BE)];
        Convert.convert(fb, r, PixelFormat.RGB565_BE, out, 0);
        ByteBuffer px = fb.pixels();
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 5; x++) {
                int o = (y * 5 + x) * 2, s = fb.offset(1 + x, 1 + y);
                assertEquals(px.get(s + 1), out[o]);
                assertEquals(px.get(s), out[o + 1]);
            }
        }
        assertArrayEquals(reference(fb, r, 0, PixelFormat.RGB565_BE, false), out);
    }

    @Test
    void everyFormatRotationAndSwapMatchesReference() {
        for (PixelFormat src : new PixelFormat[] {PixelFormat.XRGB8888, PixelFormat.RGB565}) {
            Framebuffer fb = random(9, 6, 3, src, src.ordinal());
            Rect r = new Rect(2, 1, 5, 4);
            for (PixelFormat target : new PixelFormat[] {PixelFormat.RGB565_BE, PixelFormat.RGB565,
                PixelFormat.RGB666, PixelFormat.RGB888}) {
                for (int rot : new int[] {0, 90, 180, 270}) {
                    for (boolean swap : new boolean[] {false, true}) {
                        byte[] out = new byte[Convert.outputBytes(r, target) + 3];
                        Convert.convert(fb, r, rot, target, swap, out, 3);
                        byte[] want = reference(fb, r, rot, target, swap);
                        byte[] got = java.util.Arrays.copyOfRange(out, 3, out.length);
                        assertArrayEquals(want, got, src + "->" + target + " rot " + rot + " swap " + swap);
                    }
                }
            }
        }
    }

    @Test
    void rotationNinetyPutsTheRightmostColumnFirst() {
        Framebuffer fb = Framebuffer.allocate(2, 2, PixelFormat.XRGB8888);
        PixelOracle.put(fb, 0, 0, 0x000001 << 3);   // a
        PixelOracle.put(fb, 1, 0, 0x000002 << 3);   // b
        PixelOracle.put(fb, 0, 1, 0x000003 << 3);   // c
        PixelOracle.put(fb, 1, 1, 0x000004 << 3);   // d
        byte[] out = new byte[8];
        // a b / c d turned 90 degrees counter-clockwise is b d / a c
        Convert.convert(fb, fb.bounds(), 90, PixelFormat.RGB565_BE, false, out, 0);
        assertArrayEquals(new byte[] {0, 2, 0, 4, 0, 1, 0, 3}, out);
        Convert.convert(fb, fb.bounds(), 270, PixelFormat.RGB565_BE, false, out, 0);
        assertArrayEquals(new byte[] {0, 3, 0, 1, 0, 4, 0, 2}, out);
    }

    @Test
    void rotatedRectanglesTileTheRotatedFrame() {
        // converting pieces and placing them at rotate(piece) gives the whole rotated frame
        Framebuffer fb = random(11, 7, 0, PixelFormat.XRGB8888, 99);
        for (int rot : new int[] {0, 90, 180, 270}) {
            Rect full = fb.bounds();
            Rect rf = Convert.rotate(full, 11, 7, rot);
            byte[] whole = new byte[Convert.outputBytes(full, PixelFormat.RGB888)];
            Convert.convert(fb, full, rot, PixelFormat.RGB888, false, whole, 0);
            byte[] tiled = new byte[whole.length];
            for (Rect piece : new Rect[] {new Rect(0, 0, 4, 3), new Rect(4, 0, 7, 3), new Rect(0, 3, 11, 4)}) {
                Rect at = Convert.rotate(piece, 11, 7, rot);
                byte[] part = new byte[Convert.outputBytes(piece, PixelFormat.RGB888)];
                Convert.convert(fb, piece, rot, PixelFormat.RGB888, false, part, 0);
                for (int y = 0; y < at.height(); y++) {
                    System.arraycopy(part, y * at.width() * 3, tiled, ((at.y() + y) * rf.width() + at.x()) * 3,
                            at.width() * 3);
                }
            }
            assertArrayEquals(whole, tiled, "rotation " + rot);
        }
    }

    @Test
    void directBuffersWork() {
        Framebuffer heap = random(8, 4, 0, PixelFormat.XRGB8888, 3);
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.pixels().capacity());
        direct.put(heap.pixels().duplicate());
        Framebuffer fb = new Framebuffer(8, 4, heap.stride(), PixelFormat.XRGB8888, direct);
        Rect r = new Rect(1, 1, 6, 2);
        ByteBuffer out = ByteBuffer.allocateDirect(100);
        out.position(5);
        int n = Convert.convert(fb, r, 0, PixelFormat.RGB565_BE, false, out);
        assertEquals(5 + n, out.position());
        byte[] got = new byte[n];
        out.position(5);
        out.get(got);
        assertArrayEquals(reference(heap, r, 0, PixelFormat.RGB565_BE, false), got);
        for (PixelFormat target : new PixelFormat[] {PixelFormat.RGB565_BE, PixelFormat.RGB666}) {
            for (int rot : new int[] {0, 90, 180, 270}) {
                byte[] o = new byte[Convert.outputBytes(r, target)];
                Convert.convert(fb, r, rot, target, rot == 180, o, 0);
                assertArrayEquals(reference(heap, r, rot, target, rot == 180), o, target + " rot " + rot);
            }
        }
        // a direct RGB565 source
        Framebuffer h565 = random(5, 3, 2, PixelFormat.RGB565, 4);
        ByteBuffer d565 = ByteBuffer.allocateDirect(h565.pixels().capacity());
        d565.put(h565.pixels().duplicate());
        Framebuffer f565 = new Framebuffer(5, 3, h565.stride(), PixelFormat.RGB565, d565);
        byte[] o = new byte[Convert.outputBytes(f565.bounds(), PixelFormat.RGB888)];
        Convert.convert(f565, f565.bounds(), 90, PixelFormat.RGB888, false, o, 0);
        assertArrayEquals(reference(h565, h565.bounds(), 90, PixelFormat.RGB888, false), o);
    }

    @Test
    void badArgumentsAreRefusedWithAReason() {
        Framebuffer fb = Framebuffer.allocate(4, 4, PixelFormat.XRGB8888);
        byte[] out = new byte[64];
        String m = assertThrows(IllegalArgumentException.class,
                () -> Convert.convert(fb, new Rect(2, 2, 3, 1), PixelFormat.RGB565_BE, out, 0)).getMessage();
        assertTrue(m.contains("3x1+2+2") && m.contains("outside"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Convert.convert(fb, new Rect(0, 0, 0, 1), PixelFormat.RGB565_BE, out, 0)).getMessage();
        assertTrue(m.contains("empty"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Convert.convert(fb, fb.bounds(), 45, PixelFormat.RGB565_BE, false, out, 0)).getMessage();
        assertTrue(m.contains("45"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Convert.convert(fb, fb.bounds(), PixelFormat.RGB565_BE, new byte[31], 0)).getMessage();
        assertTrue(m.contains("31") && m.contains("32"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Convert.convert(fb, fb.bounds(), PixelFormat.R1, out, 0)).getMessage();
        assertTrue(m.contains("R1"), m);
        Framebuffer r8 = Framebuffer.allocate(2, 2, PixelFormat.R8);
        m = assertThrows(IllegalArgumentException.class,
                () -> Convert.convert(r8, r8.bounds(), PixelFormat.RGB565_BE, out, 0)).getMessage();
        assertTrue(m.contains("R8"), m);
    }
}
