package org.paneld.drivers.usb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.gud.GudDriver;
import org.paneld.drivers.gud.GudUsbService;
import org.paneld.drivers.core.UnplugGuard;
import org.usb4java.DeviceHandle;
import org.usb4java.LibUsb;

/**
 * The real usb4java path on this machine (which has no USB devices): the service initialises
 * libusb (it must: libusb initialises here and in CI, so an initialisation failure fails the test
 * instead of passing it), registers for hotplug (or polls), runs and stops its event thread
 * cleanly. The transport refuses gracefully when the device cannot be opened.
 */
class Usb4JavaTest {

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "pollOnly={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void serviceStartsAndStopsCleanlyWithNoDevices(boolean pollOnly) throws Exception {
        LifecycleTracker tracker = new LifecycleTracker();
        Bus bus = new Bus("usb", tracker);
        bus.registerDriver(new GudDriver());
        GudUsbService service = new GudUsbService(bus, pollOnly);
        service.start(); // libusb initialises on this machine and in CI: a failure here is a failure of the test
        try {
            assertTrue(service.isRunning());
            assertNotNull(service.eventThread());
            assertTrue(service.eventThread().isAlive());
            assertTrue(threadAlive("gud-usb-events"));
            assertEquals(!pollOnly && LibUsb.hasCapability(LibUsb.CAP_HAS_HOTPLUG), service.usesHotplug());
            assertEquals(!service.usesHotplug(), threadAlive("gud-usb-poll"));
            assertTrue(service.deviceNames().isEmpty(), "no GUD devices on this machine: " + service.deviceNames());
            assertThrows(IllegalStateException.class, service::start);
        } finally {
            service.close();
        }
        assertFalse(service.isRunning());
        assertFalse(threadAlive("gud-usb-events"));
        assertFalse(threadAlive("gud-usb-poll"));
        assertFalse(threadAlive("gud-usb-hotplug"));
        service.close(); // idempotent
        // and again: a second context in the same JVM starts and stops as well
        GudUsbService again = new GudUsbService(bus);
        again.start();
        again.close();
        assertFalse(threadAlive("gud-usb-events"));
        bus.close();
        tracker.assertNoneLive();
    }

    @Test
    void transportRefusesGracefullyWhenTheDeviceCannotBeOpened() throws Exception {
        // A libusb device that does not exist (no device node behind it): open must fail with a
        // DeviceException, the bind must fail naming the device, and nothing may leak or crash.
        Constructor<org.usb4java.Device> k = org.usb4java.Device.class.getDeclaredConstructor();
        k.setAccessible(true);
        org.usb4java.Device ghost = k.newInstance();
        Usb4JavaDevice usb = new Usb4JavaDevice(ghost, "9-9", 0x1d50, 0x614d, 0, (byte) 0x01);
        LifecycleTracker tracker = new LifecycleTracker();
        Bus bus = new Bus("usb", tracker);
        bus.registerDriver(new GudDriver());
        bus.add(new BusDevice("gud-9-9", "gud", DeviceConfig.of("test")).attach(UsbTransportFactory.class, usb));
        DeviceException e = assertThrows(DeviceException.class, () -> bus.bind("gud-9-9"));
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(e.getMessage().contains("usb 9-9 1d50:614d"), e.getMessage());
        bus.close();
        tracker.assertNoneLive();
    }

    @Test
    void noLibusbCallStartsAfterUnplug() throws Exception {
        // A handle with no libusb handle behind it: any libusb call on it would throw
        // IllegalStateException from usb4java (a closed real one could crash the JVM). After
        // unplug, every transport method must fail at the guard with ENODEV, before libusb.
        UnplugGuard guard = new UnplugGuard("usb-test");
        Usb4JavaTransport t = new Usb4JavaTransport(guard, new DeviceHandle(), 0, (byte) 0x01, "usb 9-9 test");
        guard.unplug();
        byte[] buf = new byte[8];
        assertThrows(NoDeviceException.class, () -> t.controlIn(0x01, 0, buf, 8, 100));
        assertThrows(NoDeviceException.class, () -> t.controlOut(0x63, 0, buf, 1, 100));
        assertThrows(NoDeviceException.class, () -> t.bulkOut(buf, 0, 8, 100));
        assertThrows(NoDeviceException.class, t::claim);
        // and before unplug the same calls do reach usb4java (which refuses the empty handle)
        UnplugGuard live = new UnplugGuard("usb-test-2");
        Usb4JavaTransport t2 = new Usb4JavaTransport(live, new DeviceHandle(), 0, (byte) 0x01, "usb 9-9 test");
        assertThrows(IllegalStateException.class, () -> t2.controlIn(0x01, 0, buf, 8, 100));
        assertEquals(0, live.activeSections(), "the section was left although libusb threw");
    }

    @Test
    void libusbErrorsMapToErrnos() {
        assertTrue(UsbErrors.map(LibUsb.ERROR_NO_DEVICE, "x") instanceof NoDeviceException);
        assertTrue(UsbErrors.map(LibUsb.ERROR_PIPE, "x") instanceof UsbStallException);
        assertEquals(Errno.ETIMEDOUT, UsbErrors.map(LibUsb.ERROR_TIMEOUT, "x").errno());
        DeviceException access = UsbErrors.map(LibUsb.ERROR_ACCESS, "opening usb 1-1 1d50:614d");
        assertEquals(Errno.EACCES, access.errno());
        assertTrue(access.getMessage().contains("opening usb 1-1") && access.getMessage().contains("udev"), access.getMessage());
        assertEquals(Errno.EBUSY, UsbErrors.map(LibUsb.ERROR_BUSY, "x").errno());
        assertEquals(Errno.EIO, UsbErrors.map(LibUsb.ERROR_IO, "x").errno());
        assertEquals(Errno.EPROTO, UsbErrors.map(LibUsb.ERROR_OVERFLOW, "x").errno());
        assertTrue(GudUsbService.isGudId(0x1d50, 0x614d));
        assertTrue(GudUsbService.isGudId(0x16d0, 0x10a9));
        assertFalse(GudUsbService.isGudId(0x1d50, 0x6018));
    }
}
