package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.DbiPanelProvider;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * {@code wire_hz} (issue 18): a virtual panel whose emulated wire takes real time, so that a
 * benchmark sees what a panel at that SPI clock can show; only for {@code backend = "virtual"}.
 */
class WireTimingTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(Panels.allDrivers());

    @Test
    void aFrameTakesAtLeastItsBytesAtTheWireClock() throws Exception {
        Panels.Variant v = Panels.variants().stream().filter(x -> x.driverName().equals("mi0283qt")).findFirst().orElseThrow();
        VirtualDbiPanel panel = (VirtualDbiPanel) new DbiPanelProvider().create("mi0283qt",
                DeviceConfig.of("test", "backend", "virtual", "wire_hz", 16_000_000));
        assertEquals(16_000_000, panel.wireHz(), "the provider reads wire_hz");
        Device dev = DrawingTest.bind(kit, v, 0, panel);
        Framebuffer fb = Panels.framebuffer(dev.info().width(), dev.info().height(), PixelFormat.RGB565, 1);
        long bytes0 = panel.bytesReceived(), t0 = System.nanoTime();
        dev.flush(fb, fb.bounds());
        long took = System.nanoTime() - t0, bytes = panel.bytesReceived() - bytes0;
        assertTrue(bytes >= 320 * 240 * 2, "a whole frame went over the wire: " + bytes);
        // the wait may catch up 2 ms of oversleep, never more
        long floor = bytes * 8_000_000_000L / 16_000_000 - 2_000_000;
        assertTrue(took >= floor, bytes + " bytes at 16 MHz took " + took / 1000 + " us, less than the wire's " + floor / 1000 + " us");
        assertTrue(panel.describe().endsWith(panel.bytesReceived() + " wire bytes"), panel.describe());
    }

    @Test
    void onlyAVirtualPanelHasASimulatedWire() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> new Mi0283qtDriver().validate(
                DeviceConfig.of("paneld.toml, panel 'lcd0'", "backend", "spi", "dc_gpio", 25, "wire_hz", 62_500_000)));
        assertTrue(e.getMessage().contains("'wire_hz'") && e.getMessage().contains("only a virtual panel"), e.getMessage());
    }
}
