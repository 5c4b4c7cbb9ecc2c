package org.paneld.drivers.gud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.virtual.VirtualGudDevice;
import org.paneld.drivers.virtual.VirtualGudFormat;

/**
 * FULL_UPDATE devices on the strict emulator (gud-pico semantics: the endpoint armed for one whole
 * frame at STATE_CHECK and re-armed after each, SET_BUFFER stalled while armed, a short packet
 * ends a transfer), above all with a max_buffer_size smaller than a frame: frames arrive whole,
 * nothing stalls, no violation (the test kit fails the test on any).
 */
class GudFullUpdateTest {
    static final int W = 40, H = 30;

    private static void assertFramesArriveWhole(VirtualGudDevice dev, PixelFormat client, VirtualGudFormat shownAs)
            throws Exception {
        try (GudRig rig = new GudRig()) {
            Device d = rig.bind("gud0", dev).device();
            for (int seed = 1; seed <= 4; seed++) {
                Framebuffer fb = GudRig.pattern(W, H, client, seed);
                d.flush(fb, new org.paneld.drivers.pixel.Rect(3, 4, 5, 6)); // damage: the device gets the whole frame
                GudDrawingTest.assertImage(GudRig.expected(fb, shownAs), dev.snapshot());
                assertEquals(seed, dev.frames(), "one device transfer per frame");
            }
            dev.assertNoViolations();
            // off and on again: the device stays armed for the same frame
            d.disable();
            d.enable();
            Framebuffer fb = GudRig.pattern(W, H, client, 9);
            d.flush(fb, fb.bounds());
            GudDrawingTest.assertImage(GudRig.expected(fb, shownAs), dev.snapshot());
            dev.assertNoViolations();
        }
    }

    @ParameterizedTest(name = "{0} max_buffer_size={1}")
    @CsvSource({
        "XRGB8888, 480",  // 3 lines: pieces of 448 bytes (whole 64-byte packets), not of 3 lines
        "XRGB8888, 1000", // pieces of 512
        "XRGB8888, 4800", // one piece: the whole frame fits
        "RGB565, 200",    // pieces of 192
        "R1, 64",         // one packet at a time
        "RGB888, 130",    // 128-byte pieces, a line is 120
    })
    void smallMaxBufferSizeFramesArriveWholeWithNoStall(VirtualGudFormat format, long maxBuffer) throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(W, H).withFormats(format)
                .withFullUpdate(true).withMaxBufferSize(maxBuffer).withConnectorPoll(false));
        assertFramesArriveWhole(dev, PixelFormat.XRGB8888, format);
    }

    @Test
    void anRgb565ClientKeepsTheFormatTheEndpointIsArmedFor() throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(W, H)
                .withFormats(VirtualGudFormat.XRGB8888, VirtualGudFormat.RGB565).withFullUpdate(true)
                .withMaxBufferSize(1000).withConnectorPoll(false));
        assertFramesArriveWhole(dev, PixelFormat.RGB565, VirtualGudFormat.XRGB8888);
        assertEquals(VirtualGudFormat.XRGB8888, dev.committedFormat());
    }

    @Test
    void afterAFailedTransferSetBufferComesFirstAndTheFrameIsResentWhole() throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(W, H).withFullUpdate(true)
                .withFormats(VirtualGudFormat.XRGB8888).withMaxBufferSize(1000).withConnectorPoll(false));
        try (GudRig rig = new GudRig()) {
            Device d = rig.bind("gud0", dev).device();
            GudDisplay display = (GudDisplay) d.display();
            Framebuffer fb = GudRig.pattern(W, H, PixelFormat.XRGB8888, 1);
            d.flush(fb, fb.bounds());
            dev.injectBulkTimeout(1); // the device drops the transfer; its endpoint goes idle
            Framebuffer next = GudRig.pattern(W, H, PixelFormat.XRGB8888, 2);
            d.flush(next, next.bounds());
            assertEquals(1, display.stats().retries());
            GudDrawingTest.assertImage(GudRig.expected(next, VirtualGudFormat.XRGB8888), dev.snapshot());
            dev.injectBulkTimeout(2); // fails twice: the flush fails, the next one starts with SET_BUFFER
            DeviceException e = assertThrows(DeviceException.class, () -> d.flush(fb, fb.bounds()));
            assertEquals(Errno.ETIMEDOUT, e.errno());
            d.flush(next, next.bounds());
            d.flush(fb, fb.bounds()); // and then without
            GudDrawingTest.assertImage(GudRig.expected(fb, VirtualGudFormat.XRGB8888), dev.snapshot());
            dev.assertNoViolations();
        }
    }

    @Test
    void aBufferSmallerThanOnePacketIsRefusedAtProbe() throws Exception {
        // 40x30 R1: 5-byte lines, a 150-byte frame; 40 bytes hold no whole 64-byte packet
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(W, H)
                .withFormats(VirtualGudFormat.R1).withFullUpdate(true).withMaxBufferSize(40).withConnectorPoll(false));
        try (GudRig rig = new GudRig()) {
            DeviceException e = assertThrows(DeviceException.class, () -> rig.bind("gud0", dev));
            assertEquals(Errno.EOPNOTSUPP, e.errno());
            assertTrue(e.getMessage().contains("FULL_UPDATE") && e.getMessage().contains("max_buffer_size 40"),
                    e.getMessage());
            assertEquals(0, dev.openTransports());
            rig.bus.remove("gud0");
        }
    }

    @Test
    void theForcedConnectorCheckAtProbeSendsForceDetectAndPollsDoNot() throws Exception {
        VirtualGudDevice dev = new VirtualGudDevice(VirtualGudDevice.Config.defaults(16, 16).withConnectorPoll(true));
        try (GudRig rig = new GudRig(Duration.ofMillis(10))) {
            rig.bind("gud0", dev);
            assertEquals(1, dev.forceDetects(), "SET_CONNECTOR_FORCE_DETECT before the probe's status check");
            long polls = dev.statusPolls();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> dev.statusPolls() >= polls + 3);
            assertEquals(1, dev.forceDetects(), "polls are not forced");
        }
    }
}
