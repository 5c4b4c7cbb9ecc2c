package org.paneld.drivers.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.pixel.RgbImage;

/**
 * The virtual ST7586 as a referee, driven with raw wire bytes written from the ST7586S datasheet
 * and the kernel's st7586.c (no driver code): the right stream shows what it should, each wrong
 * stream is recorded as a violation.
 */
class VirtualSt7586Test {

    /** A wire: "c" entries are commands (A0 low), "d" entries data (A0 high), "reset" pulses the reset line. */
    private static final class Wire {
        final VirtualSt7586 v;
        final VirtualSt7586.Connection c;

        Wire(int rotation) {
            v = new VirtualSt7586(rotation);
            c = v.connect(new UnplugGuard("lcd"));
        }

        Wire cmd(int command, int... params) throws Exception {
            c.dc().set(false);
            c.spi().write(new byte[] {(byte) command}, 0, 1);
            if (params.length > 0) {
                byte[] b = new byte[params.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) params[i];
                }
                c.dc().set(true);
                c.spi().write(b, 0, b.length);
            }
            return this;
        }

        Wire data(int... bytes) throws Exception {
            byte[] b = new byte[bytes.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) bytes[i];
            }
            c.dc().set(true);
            c.spi().write(b, 0, b.length);
            return this;
        }

        Wire reset() throws Exception {
            c.reset().set(false);
            c.reset().set(true);
            return this;
        }

        /** Out of reset, awake, 4-level grey, DDRAM in the kernel's packing, address mode 0. */
        Wire init() throws Exception {
            return reset().cmd(0x01).cmd(0x11).cmd(0x38).cmd(0x3a, 0x02).cmd(0x36, 0x00);
        }
    }

    @Test
    void threePixelsPerByteTopTwoBitsOfEachFieldAreTheGrey() throws Exception {
        Wire w = new Wire(0).init();
        // column byte 0, row 0: fields 111 | 100 | 01 -> black, dark grey, light grey (the kernel's 7, 4, 2 >> 1)
        w.cmd(0x2a, 0, 0, 0, 0).cmd(0x2b, 0, 0, 0, 0).cmd(0x2c).data(0b111_100_01).cmd(0x29);
        assertEquals(0, w.v.levelAt(0, 0));
        assertEquals(1, w.v.levelAt(1, 0));
        assertEquals(2, w.v.levelAt(2, 0));
        assertEquals(3, w.v.levelAt(3, 0), "never written: 00, white");
        RgbImage s = w.v.snapshot();
        assertEquals(178 + "x" + 128, s.width() + "x" + s.height());
        assertEquals(List.of(0x000000, 0x555555, 0xAAAAAA, 0xFFFFFF), List.of(s.get(0, 0), s.get(1, 0), s.get(2, 0), s.get(3, 0)));
        // the low bit of a 3-bit field does not change the grey: 110 is black as 111 is
        w.cmd(0x2c).data(0b110_101_11);
        assertEquals(List.of(0, 1, 0), List.of(w.v.levelAt(0, 0), w.v.levelAt(1, 0), w.v.levelAt(2, 0)));
        assertEquals(List.of(), w.v.violations());
    }

    @Test
    void aWindowWrapsInsideItsColumnBytesAndRows() throws Exception {
        Wire w = new Wire(0).init().cmd(0x29);
        // columns bytes 1..2 (pixels 3..8), rows 5..6: four bytes fill the window, the fifth wraps to its start
        w.cmd(0x2a, 0, 1, 0, 2).cmd(0x2b, 0, 5, 0, 6).cmd(0x2c).data(0xE0, 0x00, 0x00, 0x1C, 0x03);
        assertEquals(0, w.v.levelAt(7, 6), "the fourth byte (row 6, column byte 2): its middle field is pixel 7");
        assertEquals(3, w.v.levelAt(3, 5), "the fifth byte wrapped to the window's first byte and rewrote its 111 field");
        assertEquals(0, w.v.levelAt(5, 5), "the fifth byte's last field (11) is pixel 5 of row 5");
        assertEquals(3, w.v.levelAt(9, 5), "column byte 3 is outside the window");
        assertEquals(List.of(), w.v.violations());
    }

    @Test
    void theViewerSeesTheGlassTurnedCounterClockwise() throws Exception {
        Wire w = new Wire(90).init();
        // glass pixel (177, 0): column byte 59, first field; mounted 90° counter-clockwise it is the viewer's top-left
        w.cmd(0x2a, 0, 59, 0, 59).cmd(0x2b, 0, 0, 0, 0).cmd(0x2c).data(0xE0).cmd(0x29);
        RgbImage s = w.v.snapshot();
        assertEquals(128 + "x" + 178, s.width() + "x" + s.height());
        assertEquals(0x000000, s.get(0, 0));
        assertEquals(0xFFFFFF, s.get(127, 0));
        Wire w270 = new Wire(270).init();
        w270.cmd(0x2a, 0, 59, 0, 59).cmd(0x2b, 0, 0, 0, 0).cmd(0x2c).data(0xE0).cmd(0x29);
        assertEquals(0x000000, w270.v.snapshot().get(127, 177), "at 270 the same pixel is the viewer's bottom-right");
    }

    @Test
    void offOrAsleepShowsBlack() throws Exception {
        Wire w = new Wire(0).init();
        w.cmd(0x2a, 0, 0, 0, 0).cmd(0x2b, 0, 0, 0, 0).cmd(0x2c).data(0x00);
        assertEquals(0x000000, w.v.snapshot().get(5, 5), "never switched on");
        w.cmd(0x29);
        assertEquals(0xFFFFFF, w.v.snapshot().get(5, 5));
        w.cmd(0x10);
        assertEquals(0x000000, w.v.snapshot().get(5, 5), "asleep");
    }

    static Stream<Arguments> wrongStreams() {
        return Stream.of(
                Arguments.of("unknown command", (Step) w -> w.init().cmd(0x99), "unknown command 0x99"),
                Arguments.of("data before any command", (Step) w -> w.reset().data(0x12), "before any command"),
                Arguments.of("RAMWR while asleep", (Step) w -> w.reset().cmd(0x2c), "RAMWR while asleep"),
                Arguments.of("CASET past the 128 column bytes", (Step) w -> w.init().cmd(0x2a, 0, 0, 0, 128), "CASET 0..128"),
                Arguments.of("RASET past the 160 rows", (Step) w -> w.init().cmd(0x2b, 0, 0, 0, 160), "RASET 0..160"),
                Arguments.of("RASET end before start", (Step) w -> w.init().cmd(0x2b, 0, 9, 0, 3), "RASET 9..3"),
                Arguments.of("mirrored address mode", (Step) w -> w.init().cmd(0x36, 0xC0), "(MX/MY) is not modelled"),
                Arguments.of("DDRAM not in the 3-per-byte packing", (Step) w -> w.init().cmd(0x3a, 0x00), "ENABLE_DDRAM 0x0"),
                Arguments.of("SPI while reset is held", (Step) w -> {
                    w.c.reset().set(false);
                    w.cmd(0x11);
                }, "SPI write while reset is held low"));
    }

    @FunctionalInterface
    interface Step {
        void run(Wire w) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongStreams")
    void aWrongStreamIsRecorded(String label, Step step, String violation) throws Exception {
        Wire w = new Wire(0);
        step.run(w);
        assertTrue(w.v.violations().stream().anyMatch(s -> s.contains(violation)), label + ": " + w.v.violations());
    }

    @Test
    void aCallAfterTheDriverReleasedItsConnectionIsRefusedAndRecorded() throws Exception {
        Wire w = new Wire(0).init();
        w.c.close();
        DeviceException e = assertThrows(DeviceException.class, () -> w.cmd(0x29));
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(w.v.violations().stream().anyMatch(s -> s.contains("after the driver's connection was released")),
                w.v.violations().toString());
        assertTrue(!w.v.isConnected());
    }
}
