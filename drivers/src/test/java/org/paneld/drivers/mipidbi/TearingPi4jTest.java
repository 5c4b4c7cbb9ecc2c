package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.spi.MockPi4jWire;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.DbiCommand;
import org.paneld.drivers.virtual.DbiModel;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * {@code te_gpio} on the real Pi4J path (Pi4J's mock plugin, the wire decoded into the emulator):
 * the TE line is a Pi4J digital input at that BCM number in the hardware scope, TEON goes out at
 * enable, and a line that never moves (the mock input is never toggled) costs a flush one bounded
 * real wait, counted, and the picture still lands; at unbind the input leaves Pi4J's registry.
 */
class TearingPi4jTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(Panels.allDrivers());

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    private MockPi4jWire wire;

    @AfterEach
    void shutdownPi4j() {
        if (wire != null) {
            wire.shutdown();
        }
    }

    @Test
    void aSilentPi4jTeLineFallsBackWithinABoundedWait() throws Exception {
        VirtualDbiPanel panel = new VirtualDbiPanel(DbiModel.mi0283qt());
        wire = new MockPi4jWire(Pi4jPathTest.into(panel));
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("driver", "mi0283qt");
        m.put("backend", "spi");
        m.put("dc_gpio", 25);
        m.put("reset_gpio", 24);
        m.put("te_gpio", 27);
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", new DeviceConfig("test", m));
        bd.attach(Context.class, wire.context());
        java.nio.file.Path bufsiz = tmp.resolve("bufsiz");
        java.nio.file.Files.writeString(bufsiz, "4096\n");
        bd.attach(org.paneld.drivers.spi.Pi4jHardware.SpidevBufsiz.class,
                new org.paneld.drivers.spi.Pi4jHardware.SpidevBufsiz(bufsiz));
        bd.attach(Sleeper.class, us -> panel.elapse(TimeUnit.MICROSECONDS.toNanos(us)));
        kit.add(bd);
        kit.bind("lcd0");
        Device dev = kit.device("lcd0");
        DigitalInput te = wire.context().registry().get("paneld.lcd0.te");
        assertEquals(27, te.address().intValue());
        assertTrue(panel.commandLog().contains(DbiCommand.of(0x35, 0x00)), "TEON: " + panel.commandLog());

        Framebuffer fb = Panels.framebuffer(320, 240, PixelFormat.XRGB8888, 5);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> dev.flush(fb, fb.bounds()));
        TearingSync sync = ((MipiDbiDisplay) dev.display()).tearing();
        assertEquals(1, sync.timeouts());
        assertNull(Panels.expected(fb, WireFormat.RGB565_BE).firstDifference(panel.snapshot(0)));
        panel.assertNoViolations();
        kit.bus().unbind("lcd0");
        assertTrue(wire.context().registry().all().isEmpty(), "left: " + wire.context().registry().all().keySet());
    }
}
