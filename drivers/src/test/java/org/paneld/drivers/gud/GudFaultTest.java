package org.paneld.drivers.gud;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.paneld.drivers.virtual.VirtualGudWire.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.DeviceRef;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.virtual.VirtualGudDevice;
import org.paneld.drivers.virtual.VirtualGudWire;
import org.paneld.drivers.virtual.VirtualGudFormat;

/**
 * Every injected fault of the virtual GUD device gives the documented error to the caller, the
 * device is consistent afterwards (the next flush draws correctly) or, when gone, torn down
 * cleanly, and nothing leaks (transports closed, no live device/binding in the tracker).
 *
 * <p>Documented errors: stall with status ERROR → EIO; BUSY → EBUSY; PROTOCOL_ERROR → EPROTO;
 * INVALID_PARAMETER → EINVAL; REQUEST_NOT_SUPPORTED → EOPNOTSUPP; a stall whose GET_STATUS says
 * OK → EIO; bulk timeout → ETIMEDOUT; disconnect → ENODEV. A flush is retried once unless the
 * error is ENODEV or EPROTO.
 */
class GudFaultTest {
    private static final int W = 32;
    private static final int H = 24;

    private static VirtualGudDevice device(boolean statusOnSet) {
        return new VirtualGudDevice(VirtualGudDevice.Config.defaults(W, H).withStatusOnSet(statusOnSet));
    }

    /** A device whose small buffer splits every frame into 6 pieces: the pipelined flush path. */
    private static VirtualGudDevice pipelined() {
        return new VirtualGudDevice(VirtualGudDevice.Config.defaults(W, H).withMaxBufferSize(4L * W * 4));
    }

    @Test
    void pipelinedPiecesAreRetriedAndFailuresReported() throws Exception {
        VirtualGudDevice dev = pipelined();
        GudRig rig = new GudRig();
        Device d = rig.bind("gud0", dev).device();
        GudDisplay display = (GudDisplay) d.display();
        assertDraws(d, dev, 1);
        assertEquals(6, dev.frames());
        dev.injectBulkTimeout(1);
        assertDraws(d, dev, 2);
        dev.injectStatus(REQ_SET_BUFFER, STATUS_BUSY, 1);
        assertDraws(d, dev, 3);
        assertEquals(2, display.stats().retries());
        dev.injectBulkTimeout(2);
        assertEquals(Errno.ETIMEDOUT, flushErrno(d, 4));
        assertDraws(d, dev, 5);
        dev.injectStatus(REQ_SET_BUFFER, STATUS_PROTOCOL_ERROR, 1);
        assertEquals(Errno.EPROTO, flushErrno(d, 6));
        assertDraws(d, dev, 7);
        assertNothingLeaked(rig, dev);
    }

    @Test
    void pipelinedDisconnectTearsDown() throws Exception {
        VirtualGudDevice dev = pipelined();
        GudRig rig = new GudRig();
        Binding b = rig.bind("gud0", dev);
        Device d = b.device();
        assertDraws(d, dev, 1);
        dev.injectDisconnectMidBulk();
        assertEquals(Errno.ENODEV, flushErrno(d, 2));
        await().atMost(Duration.ofSeconds(10)).until(b::isUnbound);
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("gud-tx-" + d.id())),
                "the transfer thread belongs to the hardware scope");
        assertNothingLeaked(rig, dev);
    }

    private static Framebuffer frame(int seed) {
        return GudRig.pattern(W, H, PixelFormat.XRGB8888, seed);
    }

    private static void assertDraws(Device d, VirtualGudDevice dev, int seed) throws Exception {
        Framebuffer fb = frame(seed);
        d.flush(fb, fb.bounds());
        GudDrawingTest.assertImage(GudRig.expected(fb, VirtualGudFormat.XRGB8888), dev.snapshot());
    }

    private static Errno flushErrno(Device d, int seed) {
        Framebuffer fb = frame(seed);
        DeviceException e = assertThrows(DeviceException.class, () -> d.flush(fb, fb.bounds()));
        return e.errno();
    }

    private static void assertNothingLeaked(GudRig rig, VirtualGudDevice dev) {
        rig.close();
        assertEquals(0, dev.openTransports(), "virtual USB handles left open");
        rig.tracker.assertNoneLive();
    }

    @ParameterizedTest(name = "status_on_set={0}")
    @ValueSource(booleans = {false, true})
    void onceFailedPiecesAreRetriedOnce(boolean statusOnSet) throws Exception {
        VirtualGudDevice dev = device(statusOnSet);
        GudRig rig = new GudRig();
        Device d = rig.bind("gud0", dev).device();
        GudDisplay display = (GudDisplay) d.display();

        dev.injectStall(REQ_SET_BUFFER, STATUS_ERROR, 1);
        assertDraws(d, dev, 1);
        dev.injectStatus(REQ_SET_BUFFER, STATUS_BUSY, 1);
        assertDraws(d, dev, 2);
        dev.injectBulkTimeout(1);
        assertDraws(d, dev, 3);
        assertEquals(3, display.stats().retries());
        assertNothingLeaked(rig, dev);
    }

    @ParameterizedTest(name = "status_on_set={0}")
    @ValueSource(booleans = {false, true})
    void twiceFailedFlushReportsTheErrorAndTheDeviceRecovers(boolean statusOnSet) throws Exception {
        VirtualGudDevice dev = device(statusOnSet);
        GudRig rig = new GudRig();
        Device d = rig.bind("gud0", dev).device();

        dev.injectStall(REQ_SET_BUFFER, STATUS_ERROR, 2);
        assertEquals(Errno.EIO, flushErrno(d, 1));
        assertDraws(d, dev, 2);

        dev.injectStatus(REQ_SET_BUFFER, STATUS_BUSY, 2);
        assertEquals(Errno.EBUSY, flushErrno(d, 3));
        assertDraws(d, dev, 4);

        dev.injectBulkTimeout(2);
        assertEquals(Errno.ETIMEDOUT, flushErrno(d, 5));
        assertDraws(d, dev, 6);

        dev.injectStatus(REQ_SET_BUFFER, STATUS_INVALID_PARAMETER, 2);
        assertEquals(Errno.EINVAL, flushErrno(d, 7));
        assertDraws(d, dev, 8);

        dev.injectStall(REQ_SET_BUFFER, STATUS_OK, 2); // stalled, yet "OK": the kernel's -EPIPE
        assertEquals(Errno.EIO, flushErrno(d, 9));
        assertDraws(d, dev, 10);
        assertNothingLeaked(rig, dev);
    }

    @Test
    void protocolErrorIsNotRetried() throws Exception {
        VirtualGudDevice dev = device(false);
        GudRig rig = new GudRig();
        Device d = rig.bind("gud0", dev).device();
        GudDisplay display = (GudDisplay) d.display();
        dev.injectStatus(REQ_SET_BUFFER, STATUS_PROTOCOL_ERROR, 1);
        assertEquals(Errno.EPROTO, flushErrno(d, 1));
        assertEquals(0, display.stats().retries());
        assertDraws(d, dev, 2);
        assertNothingLeaked(rig, dev);
    }

    @Test
    void failedPropertyChangeKeepsTheOldValue() throws Exception {
        VirtualGudDevice dev = device(true);
        GudRig rig = new GudRig();
        Device d = rig.bind("gud0", dev).device();
        d.setProperty("backlight", 40);
        assertEquals(40, dev.backlight());
        dev.injectStatus(REQ_SET_STATE_CHECK, STATUS_INVALID_PARAMETER, 1);
        DeviceException e = assertThrows(DeviceException.class, () -> d.setProperty("backlight", 70));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(40, dev.backlight());
        assertEquals(40, d.info().property("backlight").orElseThrow().value());
        assertEquals(Errno.EINVAL, assertThrows(DeviceException.class, () -> d.setProperty("backlight", 101)).errno());
        assertEquals(Errno.EINVAL, assertThrows(DeviceException.class, () -> d.setProperty("contrast", 1)).errno());
        d.setProperty("backlight", 0);
        assertEquals(0, dev.backlight());
        d.setProperty("power", 0);
        assertFalse(dev.displayEnabled());
        d.setProperty("power", 1);
        assertTrue(dev.displayEnabled());
        assertNothingLeaked(rig, dev);
    }

    @Test
    void probeFailuresNameTheCauseAndLeakNothing() throws Exception {
        VirtualGudDevice dev = device(false);
        GudRig rig = new GudRig();
        dev.injectStatus(REQ_GET_FORMATS, STATUS_REQUEST_NOT_SUPPORTED, 1);
        DeviceException e = assertThrows(DeviceException.class, () -> rig.bind("gud0", dev));
        assertEquals(Errno.EOPNOTSUPP, e.errno());
        assertTrue(e.getMessage().contains("GET_FORMATS"), e.getMessage());
        assertEquals(0, dev.openTransports());
        rig.bus.remove("gud0");

        dev.overrideDescriptor(new VirtualGudWire.Descriptor(0x12345678, 1, 0, 0, 0, W, W, H, H));
        e = assertThrows(DeviceException.class, () -> rig.bind("gud1", dev));
        assertEquals(Errno.EPROTO, e.errno());
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        rig.bus.remove("gud1");

        dev.overrideDescriptor(new VirtualGudWire.Descriptor(MAGIC, 2, 0, 0, 0, W, W, H, H));
        e = assertThrows(DeviceException.class, () -> rig.bind("gud2", dev));
        assertEquals(Errno.EOPNOTSUPP, e.errno());
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
        rig.bus.remove("gud2");

        dev.overrideDescriptor(new VirtualGudWire.Descriptor(MAGIC, 1, DISPLAY_FLAG_FULL_UPDATE, COMPRESSION_LZ4, 0, W, W, H, H));
        e = assertThrows(DeviceException.class, () -> rig.bind("gud3", dev));
        assertEquals(Errno.EPROTO, e.errno());
        assertTrue(e.getMessage().contains("FULL_UPDATE"), e.getMessage());
        rig.bus.remove("gud3");

        dev.overrideDescriptor(null);
        dev.injectStatus(REQ_SET_CONTROLLER_ENABLE, STATUS_BUSY, 1); // enable at bind fails
        e = assertThrows(DeviceException.class, () -> rig.bind("gud4", dev));
        assertEquals(Errno.EBUSY, e.errno());
        assertNothingLeaked(rig, dev);
    }

    @Test
    void disconnectMidTransferTearsDownAndSessionsGetEnodev() throws Exception {
        VirtualGudDevice dev = device(false);
        GudRig rig = new GudRig();
        Binding b = rig.bind("gud0", dev);
        Device d = b.device();
        DeviceRef session = d.acquire("session 1");
        assertDraws(d, dev, 1);

        long bulks = dev.bulkTransfers();
        dev.injectDisconnectMidBulk();
        assertEquals(Errno.ENODEV, flushErrno(d, 2));
        assertEquals(bulks + 1, dev.bulkTransfers(), "a bulk transfer that found the device gone is not retried");
        await().atMost(Duration.ofSeconds(10)).until(b::isUnbound); // reportGone → surprise removal
        assertEquals(0, dev.openTransports());
        assertEquals(Errno.ENODEV, flushErrno(d, 3)); // the session still holds a valid object
        assertEquals(W, d.info().width());
        assertFalse(d.isReleased());
        session.close();
        assertTrue(d.isReleased());
        assertEquals(1, d.releaseCount());

        // Replugging the same hardware gives a fresh, working device.
        dev.reconnect();
        rig.bus.remove("gud0");
        Device fresh = rig.bind("gud0", dev).device();
        assertTrue(fresh != d);
        assertDraws(fresh, dev, 4);
        assertNothingLeaked(rig, dev);
    }
}
