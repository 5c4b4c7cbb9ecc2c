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
