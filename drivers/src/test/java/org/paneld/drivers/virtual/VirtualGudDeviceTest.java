package org.paneld.drivers.virtual;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.usb.UsbStallException;

/**
 * The GUD emulator as a referee, driven by raw host streams written here from include/drm/gud.h
 * (not by the driver): a table of wrong streams, each flagged as the violation gud-pico's
 * behaviour implies, and the right streams it accepts without one.
 */
class VirtualGudDeviceTest {
    static final int W = 16, H = 8;
    static final int XRGB8888 = 0x80, RGB565 = 0x40;

    /** A raw host: the requests of gud.h, encoded by hand. */
    static final class Host {
        final VirtualGudDevice dev;
        final VirtualGudDevice.Transport usb;

        Host(VirtualGudDevice.Config c) throws Exception {
            dev = new VirtualGudDevice(c);
            usb = dev.connect(new UnplugGuard("gud-test"));
        }

        /** Controller on, state XRGB8888 W x H checked and committed, display on. */
        Host start(int format) throws Exception {
            out(0x63, new byte[] {1});
            out(0x61, state(format, W, H));
            out(0x62, new byte[0]);
            out(0x64, new byte[] {1});
            return this;
        }

        void out(int req, byte[] data) throws Exception {
            usb.controlOut(req, 0, data, data.length, 1000);
        }

        int status() throws Exception {
            byte[] b = new byte[1];
            assertEquals(1, usb.controlIn(0x00, 0, b, 1, 1000));
            return b[0];
        }

        void setBuffer(int x, int y, int w, int h, int len, int comp, int clen) throws Exception {
            out(0x60, setBufferReq(x, y, w, h, len, comp, clen));
        }

        void bulk(byte[] b, int off, int n) throws Exception {
            usb.bulkOut(b, off, n, 1000);
        }

        List<String> v() {
            return dev.violations();
        }
    }

    static byte[] le32(byte[] b, int o, long v) {
        for (int i = 0; i < 4; i++) {
            b[o + i] = (byte) (v >> (8 * i));
        }
        return b;
    }

    /** struct gud_set_buffer_req: u32 x, y, width, height, length; u8 compression; u32 compressed_length. */
    static byte[] setBufferReq(int x, int y, int w, int h, int len, int comp, int clen) {
        byte[] b = new byte[25];
        le32(b, 0, x);
        le32(b, 4, y);
        le32(b, 8, w);
        le32(b, 12, h);
        le32(b, 16, len);
        b[20] = (byte) comp;
        le32(b, 21, clen);
        return b;
    }

    /** struct gud_state_req: a 24-byte mode (u32 clock, u16 hdisplay … vtotal, u32 flags), u8 format, u8 connector. */
    static byte[] state(int format, int w, int h) {
        byte[] b = new byte[26];
        le32(b, 0, w * h * 60 / 1000);
        for (int i = 0; i < 4; i++) {
            b[4 + 2 * i] = (byte) w;
            b[5 + 2 * i] = (byte) (w >> 8);
            b[12 + 2 * i] = (byte) h;
            b[13 + 2 * i] = (byte) (h >> 8);
        }
        b[24] = (byte) format;
        return b;
    }

    /** {@code n} XRGB8888 pixels of 0x00RRGGBB = {@code rgb} (bytes B, G, R, X). */
    static byte[] xrgb(int n, int rgb) {
        byte[] b = new byte[4 * n];
        for (int i = 0; i < n; i++) {
            b[4 * i] = (byte) rgb;
            b[4 * i + 1] = (byte) (rgb >> 8);
            b[4 * i + 2] = (byte) (rgb >> 16);
        }
        return b;
    }

    static VirtualGudDevice.Config plain() {
        return VirtualGudDevice.Config.defaults(W, H);
    }

    // ------------------------------------------------------------------ the right streams

    @Test
    void acceptsSetBufferThenExactlyTheAnnouncedBytes() throws Exception {
        Host h = new Host(plain()).start(XRGB8888);
        h.setBuffer(2, 1, 4, 2, 32, 0, 0);
        h.bulk(xrgb(8, 0x123456), 0, 32);
        assertEquals(List.of(), h.v());
        assertEquals(0x123456, h.dev.snapshot().get(2, 1));
        assertEquals(0x123456, h.dev.snapshot().get(5, 2));
        assertEquals(0, h.dev.snapshot().get(6, 2));
        // a transfer of many packets, then the next SET_BUFFER: the endpoint is idle again
        h.setBuffer(0, 0, W, H, 4 * W * H, 0, 0);
        h.bulk(xrgb(W * H, 0xABCDEF), 0, 4 * W * H);
        h.setBuffer(0, 0, 1, 1, 4, 0, 0);
        h.bulk(xrgb(1, 0x010203), 0, 4);
        assertEquals(List.of(), h.v());
        assertEquals(0x010203, h.dev.snapshot().get(0, 0));
        assertEquals(0xABCDEF, h.dev.snapshot().get(1, 0));
        assertEquals(3, h.dev.frames());
    }

    @Test
    void acceptsLz4ThatShrinksTheDataAndDecidesByTheLengths() throws Exception {
        Host h = new Host(plain().withLz4(true)).start(XRGB8888);
        byte[] raw = xrgb(W * H, 0x445566);
        byte[] comp = LZ4Factory.fastestInstance().fastCompressor().compress(raw);
        assertTrue(comp.length < raw.length);
        h.setBuffer(0, 0, W, H, raw.length, 1, comp.length);
        h.bulk(comp, 0, comp.length);
        assertEquals(List.of(), h.v());
        assertEquals(0x445566, h.dev.snapshot().get(W - 1, H - 1));
    }

    @Test
    void fullUpdateDeviceTakesWholeFramesInWholePacketsWithoutSetBuffer() throws Exception {
        Host h = new Host(plain().withFullUpdate(true)).start(XRGB8888); // STATE_CHECK armed the endpoint: 512 bytes
        byte[] frame = xrgb(W * H, 0x0000FF);
        for (int off = 0; off < frame.length; off += 128) {
            h.bulk(frame, off, 128); // whole packets: one device transfer
        }
        assertEquals(0x0000FF, h.dev.snapshot().get(W - 1, H - 1));
        byte[] next = xrgb(W * H, 0x00FF00);
        h.bulk(next, 0, next.length); // re-armed for the next whole frame
        assertEquals(List.of(), h.v());
        assertEquals(0x00FF00, h.dev.snapshot().get(0, 0));
        assertEquals(2, h.dev.frames());
    }

    @Test
    void fullUpdateDeviceTakesSetBufferAfterAFailedTransfer() throws Exception {
        Host h = new Host(plain().withFullUpdate(true)).start(XRGB8888);
        h.dev.injectBulkTimeout(1);
        byte[] frame = xrgb(W * H, 0xFF0000);
        assertThrows(DeviceException.class, () -> h.bulk(frame, 0, frame.length));
        h.setBuffer(0, 0, W, H, frame.length, 0, 0); // the endpoint is idle after the failure
        h.bulk(frame, 0, frame.length);
        assertEquals(List.of(), h.v());
        assertEquals(0xFF0000, h.dev.snapshot().get(3, 3));
    }

    // ------------------------------------------------------------------ the wrong streams

    /** One wrong stream: what the host does after start, and the start of the violation it must leave. */
    interface HostStream {
        void run(Host h) throws Exception;
    }

    static Arguments wrong(String name, VirtualGudDevice.Config c, HostStream s, String violation) {
        return Arguments.of(name, c, s, violation);
    }

    static Stream<Arguments> wrongStreams() {
        byte[] noise = new byte[4 * W * H];
        new Random(7).nextBytes(noise);
        byte[] noiseLz4 = LZ4Factory.fastestInstance().fastCompressor().compress(noise);
        return Stream.of(
                wrong("SET_BUFFER while the endpoint is armed", plain(), h -> {
                    h.setBuffer(0, 0, 4, 2, 32, 0, 0);
                    assertThrows(UsbStallException.class, () -> h.setBuffer(0, 0, 4, 2, 32, 0, 0));
                    assertEquals(0, h.status(), "gud-pico stalls with status OK");
                }, "SET_BUFFER 4x2+0+0 while the bulk endpoint is still armed"),
                wrong("bulk OUT with no SET_BUFFER", plain(), h -> {
                    DeviceException e = assertThrows(DeviceException.class, () -> h.bulk(xrgb(2, 0), 0, 8));
                    assertEquals(Errno.ETIMEDOUT, e.errno(), "the device NAKs: the host times out");
                }, "bulk OUT: 8 of 8 bytes arrived while the endpoint was not armed"),
                wrong("a short packet before the announced length", plain(), h -> {
                    h.setBuffer(0, 0, W, H, 4 * W * H, 0, 0);
                    h.bulk(xrgb(W * H, 0xFFFFFF), 0, 100); // 64 + 36: the 36-byte packet ends the transfer
                }, "bulk OUT: a short packet (36 bytes) ended the device's transfer after 100 of 512 bytes"),
                wrong("more bytes than announced", plain(), h -> {
                    h.setBuffer(0, 0, 4, 2, 32, 0, 0);
                    h.bulk(xrgb(16, 0), 0, 64);
                }, "bulk OUT: a packet of 64 bytes overruns the armed transfer by 32 bytes"),
                wrong("LZ4 that makes the data larger", plain().withLz4(true), h -> {
                    assertTrue(noiseLz4.length > noise.length, "noise does not compress");
                    h.setBuffer(0, 0, W, H, noise.length, 1, noiseLz4.length);
                    h.bulk(noiseLz4, 0, noiseLz4.length);
                }, "SET_BUFFER with LZ4 compressed_length " + noiseLz4.length + " >= length 512"),
                wrong("LZ4 flagged, compressed_length equal to length (taken as raw)", plain().withLz4(true), h -> {
                    h.setBuffer(0, 0, W, H, 512, 1, 512);
                    h.bulk(xrgb(W * H, 0x0A0B0C), 0, 512);
                    assertEquals(0x0A0B0C, h.dev.snapshot().get(0, 0), "decided by the lengths: shown raw");
                }, "SET_BUFFER with LZ4 compressed_length 512 >= length 512"),
                wrong("LZ4 data that does not decompress", plain().withLz4(true), h -> {
                    h.setBuffer(0, 0, W, H, 512, 1, 100);
                    h.bulk(noise, 0, 100);
                }, "bulk OUT: 100 bytes of LZ4 data do not decompress to 512 bytes"),
                wrong("SET_BUFFER length that is not the rectangle's", plain(), h -> {
                    assertThrows(UsbStallException.class, () -> h.setBuffer(0, 0, 4, 2, 31, 0, 0));
                    assertEquals(4, h.status(), "INVALID_PARAMETER");
                }, "SET_BUFFER length 31 is not 32"),
                wrong("SET_BUFFER x and y swapped out of the display", plain(), h -> {
                    assertThrows(UsbStallException.class, () -> h.setBuffer(H + 1, 0, W - 2, 1, 4 * (W - 2), 0, 0));
                }, "SET_BUFFER rectangle 14x1+9+0 is not inside the 16x8 display"),
                wrong("SET_BUFFER beyond max_buffer_size", plain().withMaxBufferSize(128), h -> {
                    assertThrows(UsbStallException.class, () -> h.setBuffer(0, 0, W, 4, 256, 0, 0));
                }, "SET_BUFFER length 256 exceeds max_buffer_size 128"),
                wrong("SET_BUFFER before each piece on a FULL_UPDATE device", plain().withFullUpdate(true), h -> {
                    assertThrows(UsbStallException.class, () -> h.setBuffer(0, 0, W, 2, 128, 0, 0));
                    assertEquals(0, h.status(), "stalled, yet status OK: what the kernel reports as EIO");
                }, "SET_BUFFER 16x2+0+0 while the bulk endpoint is still armed for 512 bytes"),
                wrong("FULL_UPDATE frame split by whole lines, not whole packets", plain().withFullUpdate(true), h -> {
                    byte[] f = xrgb(W * H, 0x808080);
                    h.bulk(f, 0, 3 * 4 * W); // 192 = 3 packets: fine
                    h.bulk(f, 192, 3 * 4 * W - 4); // 188 = 2 packets and a short one: the transfer ends early
                }, "bulk OUT: a short packet (60 bytes) ended the device's transfer after 380 of 512 bytes"),
                wrong("STATE_CHECK in a format the device does not offer", plain().withFormats(VirtualGudFormat.RGB565), h -> {
                    assertThrows(UsbStallException.class, () -> h.out(0x61, state(XRGB8888, W, H)));
                }, "SET_STATE_CHECK with an unsupported mode, connector or format"),
                wrong("a request for connector 1", plain(), h -> {
                    assertThrows(UsbStallException.class, () -> h.usb.controlIn(0x54, 1, new byte[1], 1, 1000));
                }, "GET_CONNECTOR_STATUS with wIndex/wValue 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongStreams")
    void flagsTheWrongStream(String name, VirtualGudDevice.Config c, HostStream s, String violation) throws Exception {
        Host h = new Host(c).start(c.formats().get(0).code());
        assertEquals(List.of(), h.v(), "the start is right");
        s.run(h);
        assertTrue(!h.v().isEmpty() && h.v().get(0).startsWith(violation), name + ": " + h.v());
        assertThrows(AssertionError.class, h.dev::assertNoViolations);
    }

    @Test
    void theWatchdogResetsAnEnabledDeviceLeftWithoutRequests() throws Exception {
        Host h = new Host(plain()).start(XRGB8888);
        h.dev.setWatchdogMillis(50);
        await().atMost(Duration.ofSeconds(10)).until(() -> h.dev.nanosSinceLastRequest() > 80_000_000L);
        assertThrows(NoDeviceException.class, h::status);
        assertEquals(1, h.dev.watchdogResets());
        assertTrue(h.v().get(0).startsWith("watchdog: no request for more than 50 ms"), h.v().toString());
        assertTrue(h.dev.isDisconnected());
    }

    @Test
    void aDisabledControllerHasNoWatchdog() throws Exception {
        Host h = new Host(plain());
        h.dev.setWatchdogMillis(20);
        await().atMost(Duration.ofSeconds(10)).until(() -> h.dev.nanosSinceLastRequest() > 50_000_000L);
        assertEquals(0, h.status());
        assertEquals(List.of(), h.v());
    }

    @Test
    void theRecordStaysBounded() throws Exception {
        Host h = new Host(plain()).start(XRGB8888);
        for (int i = 0; i < 5000; i++) {
            try {
                h.bulk(new byte[4], 0, 4);
            } catch (DeviceException expected) {
                // NAKed
            }
        }
        List<String> v = h.v();
        assertEquals(VirtualGudViolations.KEPT + 1, v.size());
        assertEquals("... and " + (5000 - VirtualGudViolations.KEPT) + " more", v.get(v.size() - 1));
        h.dev.clearViolations();
        assertEquals(List.of(), h.v());
    }

    @Test
    void decodesEveryFormatFromItsDefinition() throws Exception {
        // one pixel each, bytes written from the DRM format definitions
        Object[][] cases = {
            {VirtualGudFormat.RGB565, new byte[] {(byte) 0xE0, 0x07}, 0x00FF00},
            {VirtualGudFormat.RGB565, new byte[] {0x1F, 0x00}, 0x0000FF},
            {VirtualGudFormat.RGB565, new byte[] {0x00, (byte) 0x80}, 0x840000},
            {VirtualGudFormat.RGB888, new byte[] {0x01, 0x02, 0x03}, 0x030201},
            {VirtualGudFormat.RGB332, new byte[] {(byte) 0xE0}, 0xFF0000},
            {VirtualGudFormat.RGB332, new byte[] {0x03}, 0x0000FF},
            {VirtualGudFormat.R8, new byte[] {0x40}, 0x404040},
            {VirtualGudFormat.XRGB1111, new byte[] {0x40}, 0xFF0000}, // left pixel in the high nibble
            {VirtualGudFormat.R1, new byte[] {(byte) 0x80}, 0xFFFFFF}, // leftmost pixel in the MSB
        };
        for (Object[] c : cases) {
            VirtualGudFormat f = (VirtualGudFormat) c[0];
            byte[] px = (byte[]) c[1];
            int w = f == VirtualGudFormat.R1 ? 8 : f == VirtualGudFormat.XRGB1111 ? 2 : 1;
            Host h = new Host(VirtualGudDevice.Config.defaults(W, H).withFormats(f)).start(f.code());
            h.setBuffer(0, 0, w, 1, px.length, 0, 0);
            h.bulk(px, 0, px.length);
            assertEquals(List.of(), h.v());
            assertEquals(Integer.toHexString((int) c[2]), Integer.toHexString(h.dev.snapshot().get(0, 0)),
                    f + " " + Arrays.toString(px));
        }
    }
}
