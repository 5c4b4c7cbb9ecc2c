package org.paneld.drivers.gud;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.Waits;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.usb.UsbTransport;
import org.paneld.drivers.usb.UsbTransportFactory;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceRef;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.core.VirtualHardwareRegistry;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.virtual.VirtualGudDevice;
import org.paneld.drivers.virtual.VirtualGudFormat;

/** Bind/unbind/rebind, connector polling in the hardware scope, unplug during flushes, config keys. */
class GudLifecycleTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new GudDriver(GudOptions.DEFAULT.withPollInterval(Duration.ofMillis(10))));

    @Test
    void configuredVirtualPanelWorksEndToEndThroughTheKit() throws Exception {
        kit.addVirtual("usb0", "gud", "width", 64L, "height", 48L, "formats", java.util.List.of("rgb565"),
                "lz4", true, "max_buffer_size", 2048L, "status_on_set", true);
        Device d = kit.bind("usb0").device();
        VirtualGudDevice dev = kit.hardware("usb0", VirtualGudDevice.class);
        assertEquals("RGB565", d.info().panelFormat());
        assertEquals(100, d.info().property("backlight").orElseThrow().value());
        Framebuffer fb = GudRig.pattern(64, 48, PixelFormat.XRGB8888, 9);
        d.flush(fb, fb.bounds());
        GudDrawingTest.assertImage(GudRig.expected(fb, VirtualGudFormat.RGB565), dev.snapshot());
        java.nio.file.Path png = java.nio.file.Files.createTempFile("gud", ".png");
        try {
            dev.snapshot().writePng(png);
            GudDrawingTest.assertImage(dev.snapshot(), org.paneld.drivers.pixel.RgbImage.readImage(png));
        } finally {
            java.nio.file.Files.deleteIfExists(png);
        }
        kit.bus().unbind("usb0");
        kit.bind("usb0");
        kit.bus().remove("usb0");
        assertEquals(0, dev.openTransports());
        kit.assertNoFailures();
    }

    private static boolean pollThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("gud-poll-"));
    }

    @Test
    void connectorPollingFeedsTheWatchdogAndStopsAtUnbind() throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(16, 16).withConnectorPoll(true));
        GudRig rig = new GudRig(Duration.ofMillis(20));
        Binding b = rig.bind("gud0", dev);
        long before = dev.statusPolls();
        await().atMost(Duration.ofSeconds(10)).until(() -> dev.statusPolls() >= before + 3);
        assertTrue(pollThreadAlive());
        dev.setConnectorConnected(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> !b.device().info().connected());
        dev.setConnectorConnected(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.device().info().connected());

        b.unbind();
        assertFalse(dev.displayEnabled(), "orderly unbind switched the display off");
        assertFalse(pollThreadAlive(), "the poll thread is part of the hardware scope");
        long after = dev.statusPolls(); // the poll thread has ended (above): nothing is left to poll
        assertEquals(after, dev.statusPolls());
        rig.close();
        assertEquals(0, dev.openTransports());
        rig.tracker.assertNoneLive();
    }

    @Test
    void pollingKeepsTheWatchdogFedAndWithoutItTheDeviceResets() throws Exception {
        VirtualGudDevice fed = new VirtualGudDevice(VirtualGudDevice.Config.defaults(16, 16).withConnectorPoll(true));
        VirtualGudDevice starved = new VirtualGudDevice(VirtualGudDevice.Config.defaults(16, 16).withConnectorPoll(false));
        fed.setWatchdogMillis(400);
        starved.setWatchdogMillis(400);
        try (GudRig rig = new GudRig(Duration.ofMillis(20))) { // gud-pico: 15 s watchdog, 10 s polls
            Binding a = rig.bind("fed", fed);
            Binding b = rig.bind("starved", starved);
            Thread.sleep(900); // idle clients: only the poll thread talks to the devices
            Framebuffer fb = GudRig.pattern(16, 16, PixelFormat.XRGB8888, 1);
            a.device().flush(fb, fb.bounds());
            assertEquals(0, fed.watchdogResets());
            assertThrows(NoDeviceException.class, () -> b.device().flush(fb, fb.bounds()));
            assertEquals(1, starved.watchdogResets());
            assertEquals(1, starved.violations().size(), starved.violations().toString());
            assertTrue(starved.violations().get(0).startsWith("watchdog:"), starved.violations().toString());
            starved.clearViolations(); // provoked on purpose: a host that does not poll lets the watchdog fire
            await().atMost(Duration.ofSeconds(10)).until(b::isUnbound); // the reset device is gone
            assertFalse(a.isUnbound());
        }
    }

    @Test
    void noPollingWhenTheConnectorDoesNotAsk() throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(16, 16).withConnectorPoll(false));
        try (GudRig rig = new GudRig(Duration.ofMillis(5))) {
            rig.bind("gud0", dev);
            assertFalse(pollThreadAlive(), "no poll thread is started at probe when the connector does not ask");
            Framebuffer fb = GudRig.pattern(16, 16, PixelFormat.XRGB8888, 2);
            long polls = dev.statusPolls();
            rig.bus.binding("gud0").orElseThrow().device().flush(fb, fb.bounds());
            assertEquals(polls, dev.statusPolls(), "a flush does not poll the connector either");
            assertFalse(pollThreadAlive());
        }
    }

    @Test
    void unbindRebindGivesAFreshDeviceAndKeepsThePicture() throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(24, 16));
        try (GudRig rig = new GudRig()) {
            Device first = rig.bind("gud0", dev).device();
            Framebuffer fb = GudRig.pattern(24, 16, PixelFormat.XRGB8888, 5);
            first.flush(fb, fb.bounds());
            DeviceRef session = first.acquire("session");
            rig.bus.unbind("gud0");
            assertThrows(NoDeviceException.class, () -> first.flush(fb, fb.bounds()));
            assertEquals(24, first.info().width());
            Device second = rig.bus.bind("gud0").device();
            assertTrue(second != first);
            GudDrawingTest.assertImage(GudRig.expected(fb, VirtualGudFormat.XRGB8888), dev.snapshot());
            assertEquals(1, dev.openTransports());
            session.close();
            assertEquals(1, first.releaseCount());
        }
        assertEquals(0, dev.openTransports());
    }

    /**
     * The frame's bulk transfer is held on its way to the device (a transport wrapped around the
     * emulator's blocks in bulkOut, inside the flush's guarded section): a yank must wait in the
     * unplug guard with the USB handle still open; once the transfer goes on, the frame arrives
     * whole, the flush (one piece) completes, and only then is the handle closed.
     */
    @Test
    void surpriseRemovalWaitsForTheFlushInFlight() throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(320, 240));
        CountDownLatch inBulk = new CountDownLatch(1), go = new CountDownLatch(1);
        AtomicReference<Thread> bulkThread = new AtomicReference<>();
        UsbTransportFactory holding = new UsbTransportFactory() {
            @Override
            public UsbTransport open(Device device) throws java.io.IOException {
                UsbTransport t = dev.open(device);
                return new UsbTransport() {
                    @Override
                    public int controlIn(int request, int value, byte[] buffer, int length, int timeoutMs) throws java.io.IOException {
                        return t.controlIn(request, value, buffer, length, timeoutMs);
                    }

                    @Override
                    public void controlOut(int request, int value, byte[] data, int length, int timeoutMs) throws java.io.IOException {
                        t.controlOut(request, value, data, length, timeoutMs);
                    }

                    @Override
                    public void bulkOut(byte[] data, int offset, int length, int timeoutMs) throws java.io.IOException {
                        bulkThread.set(Thread.currentThread());
                        inBulk.countDown();
                        try {
                            Waits.awaitLatch(go, "the test to hold the device");
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                        t.bulkOut(data, offset, length, timeoutMs); // enters the guard, then blocks on the held device
                    }

                    @Override
                    public String describe() {
                        return t.describe();
                    }
                };
            }

            @Override
            public String describe() {
                return dev.describe();
            }
        };
        GudRig rig = new GudRig();
        Device d = rig.bus.addAndBind(new BusDevice("gud0", "gud", DeviceConfig.of("test gud0", "backend", "virtual"))
                .attach(VirtualHardware.class, dev).attach(UsbTransportFactory.class, holding)).device();
        Framebuffer fb = GudRig.pattern(320, 240, PixelFormat.XRGB8888, 6); // 300 KB in one bulk transfer
        CountDownLatch unplugReturned = new CountDownLatch(1);
        d.addUnplugListener(x -> unplugReturned.countDown());
        Waits.Task<Void> flush = Waits.task("test-flush", () -> d.flush(fb, fb.bounds())).start();
        Waits.awaitLatch(inBulk, "the frame's bulk transfer");
        Waits.Task<Void> removal = Waits.task("test-remove", () -> rig.bus.remove("gud0"));
        synchronized (dev) { // the emulator is held: the transfer blocks inside its guarded bulkOut
            go.countDown();
            org.awaitility.Awaitility.await("the bulk transfer enters the device").atMost(Waits.LONG)
                    .until(() -> bulkThread.get().getState() == Thread.State.BLOCKED);
            assertTrue(d.guard().activeSections() >= 2, "the flush and its transfer are inside the guard: " + d.guard());
            removal.start(); // yank: unplug waits for the transfer, then closes the handle
            Waits.assertUnplugWaits(removal.thread(), d.guard(), unplugReturned, () -> dev.openTransports() == 0,
                    "surprise removal during a bulk transfer");
            assertEquals(1, dev.openTransports(), "the USB handle stays open while the transfer is on it");
        }
        flush.get(); // the flush in flight (one piece) completes
        removal.get();
        assertEquals(1, dev.frames(), "the frame in flight reached the device");
        dev.assertNoViolations(); // a handle closed under the transfer would be one
        assertEquals(0, dev.openTransports());
        rig.close();
        rig.tracker.assertNoneLive();
    }

    @Test
    void configKeysAreValidatedWithTheirNames() throws Exception {
        GudDriver driver = new GudDriver();
        DeviceConfig ok = DeviceConfig.of("paneld.toml, panel 'usb0'", "name", "usb0", "driver", "gud", "backend", "virtual",
                "width", 128L, "height", 64L, "formats", java.util.List.of("r1", "rgb565"), "lz4", true,
                "max_buffer_size", 4096L, "status_on_set", true, "connector_poll", false, "bulk_mb_per_s", 40L, "watchdog_ms", 15000L);
        VirtualHardwareRegistry registry = VirtualHardwareRegistry.standard();
        registry.validate(driver, ok);
        VirtualHardware v = registry.create(driver, ok);
        VirtualGudDevice dev = (VirtualGudDevice) v;
        assertEquals(128, dev.config().width());
        assertEquals(java.util.List.of(VirtualGudFormat.R1, VirtualGudFormat.RGB565), dev.config().formats());

        ConfigException e = assertThrows(ConfigException.class, () -> registry.validate(driver, ok.with("formats", java.util.List.of("yuv"))));
        assertTrue(e.getMessage().contains("'formats'") && e.getMessage().contains("yuv"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.validate(driver, ok.with("full_update", true)));
        assertTrue(e.getMessage().contains("full_update"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.validate(driver, ok.with("max_buffer_size", 3L)));
        assertTrue(e.getMessage().contains("max_buffer_size"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.validate(driver, ok.with("colour", 3L)));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> registry.validate(driver, ok.with("width", 0L)));
        assertTrue(e.getMessage().contains("'width'"), e.getMessage());
    }
}
