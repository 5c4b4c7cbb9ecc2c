package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.Waits;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * Every driver through the lifecycle kit on its product virtual backend ({@code backend =
 * "virtual"}, the panel the virtual hardware registry makes): bind, flush, unbind, rebind, flush again,
 * with the kit checking that the hardware scope (transfer thread included) ran at each unbind,
 * release ran once, nothing leaked; the virtual panel shows the picture upright at the configured
 * rotation. Also: unplug during a flush on the virtual backend, and the display properties.
 */
class LifecycleTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(Panels.allDrivers());

    @TempDir
    static Path dir;

    static Stream<Arguments> drivers() throws Exception {
        Path bin = dir.resolve("panel.bin");
        Files.write(bin, PanelMipiDbiTest.file(new int[] {0x11}, new int[] {0x00, 120}, new int[] {0x3A, 0x55},
                new int[] {0x36, 0x00}, new int[] {0x29}));
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("mi0283qt", new Object[] {"rotation", 90}));
        out.add(Arguments.of("ili9341", new Object[] {}));
        out.add(Arguments.of("st7735r", new Object[] {"rotation", 270}));
        out.add(Arguments.of("rh128128t", new Object[] {"rotation", 180}));
        out.add(Arguments.of("st7789v", new Object[] {"height", 240, "rotation", 180}));
        out.add(Arguments.of("ili9486", new Object[] {}));
        out.add(Arguments.of("hx8357d", new Object[] {"rotation", 90}));
        out.add(Arguments.of("ili9488", new Object[] {"rotation", 270, "dbi_option", 1}));
        out.add(Arguments.of("panel-mipi-dbi", new Object[] {"width", 240, "height", 320, "init_file", bin.toString()}));
        return out.stream();
    }

    private Device addAndBind(String driver, Object... config) throws Exception {
        BusDevice bd = kit.addVirtual("lcd0", driver, config);
        bd.attach(Sleeper.class, us -> { });
        kit.bind("lcd0");
        return kit.device("lcd0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void bindFlushUnbindRebind(String driver, Object[] config) throws Exception {
        Device dev = addAndBind(driver, config);
        VirtualDbiPanel panel = kit.hardware("lcd0", VirtualDbiPanel.class);
        int w = dev.info().width(), h = dev.info().height();
        WireFormat wire = ((MipiDbiDisplay) dev.display()).config().format() != null
                && ((MipiDbiDisplay) dev.display()).config().format().startsWith("b6") ? WireFormat.BGR666
                : "RGB666".equals(dev.info().panelFormat()) ? WireFormat.RGB666 : WireFormat.RGB565_BE;
        Framebuffer a = Panels.framebuffer(w, h, PixelFormat.XRGB8888, 1);
        dev.flush(a, a.bounds());
        assertEquals(Panels.expected(a, wire), panel.snapshot(), driver + ": the virtual panel shows the picture upright");
        kit.bus().unbind("lcd0");
        assertTrue(dev.hardware().isReleased());
        assertThrows(DeviceException.class, () -> dev.flush(a, a.bounds()));
        assertEquals(w, dev.info().width(), "info works after unbind");

        kit.bind("lcd0");
        Device again = kit.device("lcd0");
        assertNotSame(dev, again);
        Framebuffer b = Panels.framebuffer(w, h, PixelFormat.RGB565, 2);
        again.flush(b, b.bounds());
        again.flush(a, new Rect(1, 1, 5, 3));
        var expected = Panels.expected(b, wire);
        for (int y = 1; y < 4; y++) {
            for (int x = 1; x < 6; x++) {
                expected.set(x, y, Panels.shown(a, x, y, wire));
            }
        }
        assertEquals(expected, panel.snapshot());
        panel.assertNoViolations();
        kit.assertNoFailures();
    }

    /**
     * A flush is held on the panel's wires (the test holds the virtual panel's monitor, so the
     * thread writing to it blocks inside its guarded transfer); a surprise removal then must wait
     * in the unplug guard, with the hardware scope not yet released, until the transfer in flight
     * ends; the flush ends with ENODEV at its next transfer, and nothing reaches the panel after
     * unplug returned.
     */
    @Test
    void unplugDuringAFlushOnTheVirtualBackend() throws Exception {
        Device dev = addAndBind("ili9486");
        VirtualDbiPanel panel = kit.hardware("lcd0", VirtualDbiPanel.class);
        Binding binding = kit.bus().binding("lcd0").orElseThrow();
        CountDownLatch unplugReturned = new CountDownLatch(1);
        AtomicLong bytesAtUnplug = new AtomicLong(-1);
        dev.addUnplugListener(d -> {
            bytesAtUnplug.set(panel.bytesReceived());
            unplugReturned.countDown();
        });
        Framebuffer a = Panels.framebuffer(480, 320, PixelFormat.XRGB8888, 1);
        Waits.Task<Void> flush = Waits.task("test-flush", () -> dev.flush(a, a.bounds()));
        Waits.Task<Void> yank = Waits.task("test-yank", binding::yank);
        synchronized (panel) {
            flush.start();
            Thread writer = Waits.awaitSomeThreadBlockedOnMonitorIn(VirtualDbiPanel.class, "the flush reaches the panel's wires");
            assertTrue(dev.guard().activeSections() > 0, "the blocked transfer is inside the guard: " + Waits.describe(writer));
            yank.start();
            Waits.assertUnplugWaits(yank.thread(), dev.guard(), unplugReturned, () -> dev.hardware().isReleased(),
                    "surprise removal during the flush");
            assertFalse(dev.hardware().isReleased(), "the hardware scope is released only after the flush in flight");
        }
        Throwable failure = flush.failure();
        assertEquals(Errno.ENODEV, assertInstanceOf(DeviceException.class, failure, String.valueOf(failure)).errno(),
                "the flush in flight ends at its next transfer with ENODEV");
        yank.get();
        assertEquals(0, unplugReturned.getCount());
        assertTrue(binding.isUnbound());
        assertTrue(dev.hardware().isReleased());
        assertEquals(dev.hardware().registeredCount(), dev.hardware().ranCount());
        assertEquals(bytesAtUnplug.get(), panel.bytesReceived(), "nothing reached the panel after unplug returned");
        assertEquals(Errno.ENODEV, assertThrows(DeviceException.class, () -> dev.flush(a, a.bounds())).errno());
        kit.assertNoFailures();
    }

    @Test
    void propertiesBacklightAndPower() throws Exception {
        Device dev = addAndBind("mi0283qt");
        VirtualDbiPanel panel = kit.hardware("lcd0", VirtualDbiPanel.class);
        assertEquals(100, panel.backlight());
        dev.setProperty("backlight", 30);
        assertEquals(30, panel.backlight());
        dev.setProperty("power", 0);
        assertEquals(0, panel.backlight());
        assertFalse(panel.isDisplayOn());
        assertEquals(0, dev.info().property("power").orElseThrow().value());
        dev.setProperty("power", 1);
        assertTrue(panel.isDisplayOn());
        assertEquals(30, panel.backlight(), "enable restores the level");
        assertEquals(Errno.EINVAL, assertThrows(DeviceException.class, () -> dev.setProperty("backlight", 101)).errno());
        assertEquals(Errno.EINVAL, assertThrows(DeviceException.class, () -> dev.setProperty("power", 2)).errno());
        assertEquals(Errno.EINVAL, assertThrows(DeviceException.class, () -> dev.setProperty("contrast", 1)).errno());
        Framebuffer wrong = Framebuffer.allocate(240, 320, PixelFormat.XRGB8888);
        assertEquals(Errno.EINVAL, assertThrows(DeviceException.class, () -> dev.flush(wrong, wrong.bounds())).errno());
        Framebuffer fb = Framebuffer.allocate(320, 240, PixelFormat.XRGB8888);
        assertEquals(Errno.EINVAL, assertThrows(DeviceException.class, () -> dev.flush(fb, new Rect(300, 0, 21, 1))).errno());
        assertEquals(List.of(PixelFormat.XRGB8888, PixelFormat.RGB565), dev.info().formats());
        assertEquals("mi0283qt", dev.info().driver());
        assertEquals(58, dev.info().widthMm());
        panel.assertNoViolations();
    }
}
