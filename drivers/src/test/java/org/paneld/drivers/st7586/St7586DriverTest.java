package org.paneld.drivers.st7586;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.repaper.TestImages;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.VirtualSt7586;

/** The st7586 driver against the virtual controller, through the lifecycle kit. */
class St7586DriverTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new St7586Driver());

    /**
     * Independent expectation (st7586.c: drm_fb_xrgb8888_to_gray8, then {@code gray8 >> 6}): the
     * kernel's BT.601 grey of each pixel's bytes, its top two bits, shown as 0/0x55/0xAA/0xFF.
     */
    static RgbImage expected(Framebuffer fb) {
        RgbImage img = RgbImage.blank(fb.width(), fb.height());
        for (int y = 0; y < fb.height(); y++) {
            for (int x = 0; x < fb.width(); x++) {
                img.set(x, y, PixelOracle.st7586Shown(PixelOracle.st7586Level(PixelOracle.grey(fb, x, y))));
            }
        }
        return img;
    }

    /**
     * Independent oracle, from the device-tree binding's "rotation" (the panel mounted that many
     * degrees counter-clockwise; panel-common.yaml) and the kernel's 178x128 mode: where client
     * pixel (cx, cy) must sit on the glass so that the mounted panel shows it upright. At 0 the
     * kernel's st7586.c sends address mode 0x00 (as is) and at 180 MX|MY (both axes reversed).
     */
    static int[] glassXY(int cx, int cy, int rotation) {
        switch (rotation) {
            case 90: return new int[] {177 - cy, cx};   // the glass's top-right corner is the viewer's top-left
            case 180: return new int[] {177 - cx, 127 - cy};
            case 270: return new int[] {cy, 127 - cx};  // the glass's bottom-left corner is the viewer's top-left
            default: return new int[] {cx, cy};
        }
    }

    /** The glass rows and whole column bytes (3 pixels each; columns 178, 179 off the glass) a client rectangle touches. */
    static Rect glassBytesOf(Rect r, int rotation) {
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                int[] g = glassXY(x, y, rotation);
                x0 = Math.min(x0, g[0]);
                x1 = Math.max(x1, g[0]);
                y0 = Math.min(y0, g[1]);
                y1 = Math.max(y1, g[1]);
            }
        }
        int bx0 = x0 / 3 * 3, bx1 = x1 / 3 * 3 + 3;
        return new Rect(bx0, y0, bx1 - bx0, y1 - y0 + 1);
    }

    @ParameterizedTest(name = "rotation {0}: the client's corner pixels sit where the mounted glass shows them upright")
    @CsvSource({"0", "90", "180", "270"})
    void rotationIsTheMountingCounterClockwise(int rotation) throws Exception {
        kit.addVirtual("lcd", "st7586", "rotation", rotation);
        Device d = kit.bind("lcd").device();
        int w = d.info().width(), h = d.info().height();
        Framebuffer fb = Framebuffer.allocate(w, h, PixelFormat.XRGB8888);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                PixelOracle.put(fb, x, y, 0xFFFFFF);
            }
        }
        PixelOracle.put(fb, 0, 0, 0x000000);         // top-left: black
        PixelOracle.put(fb, w - 1, 0, 0x505050);     // top-right: dark grey (grey8 80 >> 6 = 1)
        PixelOracle.put(fb, 0, h - 1, 0x909090);     // bottom-left: light grey (144 >> 6 = 2)
        d.flush(fb, fb.bounds());
        VirtualSt7586 v = kit.hardware("lcd", VirtualSt7586.class);
        int[] tl = glassXY(0, 0, rotation), tr = glassXY(w - 1, 0, rotation), bl = glassXY(0, h - 1, rotation);
        assertEquals(0, v.levelAt(tl[0], tl[1]), "top-left on the glass at " + tl[0] + "," + tl[1]);
        assertEquals(1, v.levelAt(tr[0], tr[1]), "top-right on the glass at " + tr[0] + "," + tr[1]);
        assertEquals(2, v.levelAt(bl[0], bl[1]), "bottom-left on the glass at " + bl[0] + "," + bl[1]);
        int[] br = glassXY(w - 1, h - 1, rotation);
        assertEquals(3, v.levelAt(br[0], br[1]), "bottom-right stays white");
        assertEquals(List.of(), v.violations());
    }

    @ParameterizedTest(name = "rotation {0} {1}")
    @CsvSource({"0, XRGB8888", "90, XRGB8888", "180, RGB565", "270, XRGB8888", "0, RGB565", "90, RGB565", "0, R8", "270, R8"})
    void drawsExactlyAtEveryRotationIncludingOddDamage(int rotation, String format) throws Exception {
        // damage "client": every flush sends its damage whole, so the window shows the widening
        kit.addVirtual("lcd", "st7586", "rotation", rotation, "damage", "client");
        Binding b = kit.bind("lcd");
        Device d = b.device();
        DisplayInfo info = d.info();
        assertEquals("GREY4", info.panelFormat());
        assertEquals("fast", info.updateClass());
        assertEquals(rotation % 180 == 0 ? 178 : 128, info.width());
        VirtualSt7586 v = kit.hardware("lcd", VirtualSt7586.class);
        assertTrue(v.isOn() && v.greyMode());
        // all white after enable (the shadow starts white)
        RgbImage white = RgbImage.blank(info.width(), info.height());
        java.util.Arrays.fill(white.rgb(), 0xFFFFFF);
        assertNull(white.firstDifference(v.snapshot()));

        Framebuffer fb = TestImages.picture(info.width(), info.height(), PixelFormat.parse(format), 2);
        d.flush(fb, fb.bounds());
        assertNull(expected(fb).firstDifference(v.snapshot()));

        // partial damage at odd places: only the damage (widened to triplets on the panel) changes
        Framebuffer fb2 = TestImages.picture(info.width(), info.height(), PixelFormat.parse(format), 5);
        RgbImage want = expected(fb);
        for (Rect r : List.of(new Rect(0, 0, 1, 1), new Rect(info.width() - 1, info.height() - 1, 1, 1), new Rect(7, 5, 13, 9),
                new Rect(1, 2, 3, 1), new Rect(info.width() - 4, 3, 4, 17))) {
            d.flush(fb2, r);
            Rect p = glassBytesOf(r, rotation);
            RgbImage e2 = expected(fb2);
            for (int y = 0; y < info.height(); y++) {
                for (int x = 0; x < info.width(); x++) {
                    int[] q = glassXY(x, y, rotation);
                    if (q[0] >= p.x() && q[0] < p.right() && q[1] >= p.y() && q[1] < p.bottom()) {
                        want.set(x, y, e2.get(x, y));
                    }
                }
            }
            assertNull(want.firstDifference(v.snapshot()), "after damage " + r);
            int[] win = v.window();
            assertEquals(p.x() / 3, win[0]);
            assertEquals(p.right() / 3 - 1, win[1]);
        }
        assertEquals(List.of(), v.violations());
    }

    @Test
    void initIsTheKernelsSequence() throws Exception {
        kit.addVirtual("lcd", "st7586");
        kit.bind("lcd");
        VirtualSt7586 v = kit.hardware("lcd", VirtualSt7586.class);
        assertEquals(List.of("01", "d7 9f", "e0 00", "e3", "e1", "11", "28", "c7 00", "c0 e3 00", "c3 02", "c4 04", "d0 1d",
                "b5 00", "38", "3a 02", "36 00", "b0 7f", "b4 a0", "30 00 00 00 77", "20", "2a 00 00 00 3b", "2b 00 00 00 7f",
                "2c", "29"), v.commandLog());
    }

    @Test
    void powerOffKeepsContentAndRebindWorks() throws Exception {
        kit.addVirtual("lcd", "st7586");
        Binding b = kit.bind("lcd");
        VirtualSt7586 v = kit.hardware("lcd", VirtualSt7586.class);
        Framebuffer fb = TestImages.picture(178, 128, PixelFormat.XRGB8888, 1);
        b.device().setProperty("power", 0);
        assertTrue(!v.isOn());
        b.device().flush(fb, fb.bounds());
        b.device().setProperty("power", 1);
        assertNull(expected(fb).firstDifference(v.snapshot()));
        assertThrows(DeviceException.class, () -> b.device().setProperty("backlight", 50));
        b.unbind();
        assertTrue(!v.isConnected());
        Binding b2 = kit.bind("lcd");
        b2.device().flush(fb, new Rect(10, 10, 20, 20));
        b2.yank();
        assertThrows(org.paneld.drivers.core.NoDeviceException.class, () -> b2.device().flush(fb, fb.bounds()));
        assertEquals(List.of(), v.violations());
    }

    @Test
    void badConfigIsRefusedNamingTheKey() {
        St7586Driver d = new St7586Driver();
        for (Object[] c : new Object[][] {
            {"'dc_gpio'", new Object[] {"reset_gpio", 5}},
            {"'reset_gpio'", new Object[] {"dc_gpio", 5}},
            {"'rotation'", new Object[] {"backend", "virtual", "rotation", 45}},
            {"'spi_max_transfer'", new Object[] {"backend", "virtual", "spi_max_transfer", 4095}},
            {"'backend'", new Object[] {"backend", "usb"}},
            {"'dc_gpio'", new Object[] {"backend", "virtual", "dc_gpio", 99}},
            {"backlight_gpio", new Object[] {"backend", "virtual", "backlight_gpio", 18}},
        }) {
            ConfigException e = assertThrows(ConfigException.class, () -> d.validate(DeviceConfig.of("paneld.toml, panel 'lcd'", (Object[]) c[1])));
            assertTrue(e.getMessage().contains((String) c[0]) && e.getMessage().contains("panel 'lcd'"), e.getMessage());
        }
    }

    @Test
    void packingMatchesTheKernelsTable() {
        // black, dark, light, white -> 3-bit codes 111, 100, 010, 000; third pixel keeps the top two bits
        Framebuffer fb = Framebuffer.allocate(178, 128, PixelFormat.XRGB8888);
        PixelOracle.put(fb, 0, 0, 0x000000);
        PixelOracle.put(fb, 1, 0, 0x505050);
        PixelOracle.put(fb, 2, 0, 0x909090);
        byte[] out = new byte[60 * 128];
        St7586Pixels.pack(fb, new Rect(0, 0, 3, 1), 0, out);
        assertEquals((byte) (7 << 5 | 4 << 2 | 2 >> 1), out[0]);
        // the kernel's BT.601 grey, not (3r + 6g + b) / 10: pure green 0xD8 is grey 126 (dark, not
        // light: 129 by tenths), 0x0040FF is grey 66 (dark, not black: 63 by tenths)
        PixelOracle.put(fb, 0, 0, 0x00D800);
        PixelOracle.put(fb, 1, 0, 0x0040FF);
        PixelOracle.put(fb, 2, 0, 0xFFFFFF);
        St7586Pixels.pack(fb, new Rect(0, 0, 3, 1), 0, out);
        assertEquals((byte) (4 << 5 | 4 << 2 | 0), out[0], "dark grey, dark grey, white");
        // a whole random frame against the kernel's arithmetic (gray8, >> 6, lookup, 3 per byte)
        java.util.Random rnd = new java.util.Random(3);
        int[][] colour = new int[128][178];
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 178; x++) {
                colour[y][x] = rnd.nextInt(1 << 24);
                PixelOracle.put(fb, x, y, colour[y][x]);
            }
        }
        Rect all = St7586Pixels.widen(Rect.of(178, 128));
        assertEquals(new Rect(0, 0, 180, 128), all);
        St7586Pixels.pack(fb, all, 0, out);
        for (int y = 0; y < 128; y++) {
            for (int t = 0; t < 60; t++) {
                int[] level = new int[3];
                for (int i = 0; i < 3; i++) {
                    int x = 3 * t + i;
                    level[i] = x < 178 ? PixelOracle.st7586Level(PixelOracle.xrgb8888ToR8Bt601(colour[y][x])) : 3; // off the glass: white
                }
                int want = PixelOracle.st7586Byte(level[0], level[1], level[2]);
                assertEquals((byte) want, out[y * 60 + t], "byte " + t + " of row " + y);
            }
        }
        // rotation 180 of the same frame is the mirrored frame
        Framebuffer mirrored = Framebuffer.allocate(178, 128, PixelFormat.XRGB8888);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 178; x++) {
                PixelOracle.put(mirrored, 177 - x, 127 - y, colour[y][x]);
            }
        }
        byte[] out180 = new byte[60 * 128];
        St7586Pixels.pack(mirrored, all, 180, out180);
        assertArrayEquals(out, out180);
    }
}
