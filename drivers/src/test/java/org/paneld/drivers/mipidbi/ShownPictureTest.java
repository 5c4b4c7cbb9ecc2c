package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualDbiPanel;
import org.paneld.drivers.virtual.VirtualFbDriver;

/**
 * What the live view reads of a real panel: {@link Device#shownPicture()} is the picture the
 * device last sent (the emulator, as referee, shows the same; for MIPI DBI the panel's shadow
 * through {@code Display.copyShownPicture()}), and {@code Display.wireBytes()} counts what went on
 * the wire.
 */
class ShownPictureTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new Mi0283qtDriver(), new VirtualFbDriver());

    @Test
    void theShownPictureIsWhatThePanelShows() throws Exception {
        BusDevice bd = kit.addVirtual("lcd0", "mi0283qt");
        bd.attach(Sleeper.class, us -> { });
        kit.bind("lcd0");
        Device dev = kit.device("lcd0");
        assertNull(dev.shownPicture(), "nothing sent yet");
        long wire0 = dev.display().wireBytes();
        Framebuffer fb = Framebuffer.allocate(320, 240, PixelFormat.XRGB8888);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                fb.setRgb(x, y, x < 160 ? 0xFF0000 : 0x0000FF); // exact in RGB565 (bit replication)
            }
        }
        dev.flush(fb, fb.bounds());
        fb.setRgb(5, 5, 0x00FF00);
        dev.flush(fb, new Rect(0, 0, 10, 10));
        RgbImage shown = dev.shownPicture();
        assertEquals(bd.attachment(VirtualHardware.class).orElseThrow().snapshot(), shown);
        assertEquals(0x00FF00, shown.get(5, 5));
        assertEquals(0x0000FF, shown.get(300, 200));
        // damage = "auto": of the 10x10 damage only the one pixel that changed goes on the wire
        assertEquals(320 * 240 * 2 + 1 * 2, dev.display().wireBytes() - wire0 - commandBytes(dev, wire0), 0.0);
    }

    /** Every MIPI DBI variant at every rotation: the shadow, turned to RGB, is what the glass shows. */
    @Test
    void theShadowsPictureIsTheGlassAtEveryRotation() throws Exception {
        for (Panels.Variant v : Panels.variants()) {
            for (int rotation = 0; rotation < 360; rotation += 90) {
                LifecycleKit k = new LifecycleKit(Panels.allDrivers());
                k.start();
                try {
                    VirtualDbiPanel panel = new VirtualDbiPanel(v.model());
                    Device dev = DrawingTest.bind(k, v, rotation, panel);
                    int w = dev.info().width(), h = dev.info().height();
                    Framebuffer fb = Panels.framebuffer(w, h, PixelFormat.XRGB8888, rotation);
                    dev.flush(fb, fb.bounds());
                    Framebuffer next = Panels.framebuffer(w, h, PixelFormat.XRGB8888, rotation + 1);
                    Rect part = new Rect(w / 4, h / 3, w / 2, h / 3);
                    for (int y = part.y(); y < part.y() + part.height(); y++) {
                        for (int x = part.x(); x < part.x() + part.width(); x++) {
                            fb.setRgb(x, y, next.rgb(x, y));
                        }
                    }
                    dev.flush(fb, part);
                    String diff = panel.snapshot(DrawingTest.viewRotation(v, rotation)).firstDifference(dev.shownPicture());
                    assertNull(diff, v + " at " + rotation + ": " + diff);
                } finally {
                    k.finish();
                }
            }
        }
    }

    /** Each wire format's bytes read back as what the panel shows for the colour packed into them. */
    @Test
    void wireBytesReadBackAsTheQuantisedColour() {
        java.util.Random rnd = new java.util.Random(16);
        Framebuffer fb = Framebuffer.allocate(1, 1, PixelFormat.XRGB8888);
        byte[] b = new byte[3];
        for (WireFormat wire : WireFormat.values()) {
            for (int i = 0; i < 2000; i++) {
                int rgb = rnd.nextInt(0x1000000);
                fb.setRgb(0, 0, rgb);
                wire.pack(fb, 0, 0, 1, b, 0);
                assertEquals(wire.quantize(rgb), wire.unpack(b, 0), wire + " " + Integer.toHexString(rgb));
            }
        }
    }

    @Test
    void aDisplayThatKeepsItsPictureKeepsNoCopyAndCountsNoWire() throws Exception {
        kit.addVirtual("fb0", "virtual-fb", "width", 8, "height", 8);
        kit.bind("fb0");
        Device dev = kit.device("fb0");
        Framebuffer fb = Framebuffer.allocate(8, 8, PixelFormat.XRGB8888);
        dev.flush(fb, fb.bounds());
        assertNull(dev.shownPicture());
        assertEquals(-1, dev.display().wireBytes());
    }

    /** CASET, RASET (5 bytes each) and RAMWR (1) per flush: two flushes. */
    private static long commandBytes(Device dev, long wire0) {
        assertTrue(wire0 >= 0);
        return 2 * (5 + 5 + 1);
    }
}
