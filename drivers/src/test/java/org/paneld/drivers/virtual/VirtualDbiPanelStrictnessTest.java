package org.paneld.drivers.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MIPI DBI emulator as a referee: a table of wrong streams, each with the one violation the
 * emulator must report, and the right stream (the kernel's mi0283qt sequence at the kernel's
 * clocks) that it must accept. The streams are written here from the datasheets' rules, byte by
 * byte, with no driver code. The panels time the wire ({@link VirtualDbiPanel#setWireTiming}): their
 * clock moves only with the bytes and the declared waits, so a loaded machine cannot stretch a
 * 10 ms wait into 11.3 ms and the reported times are exact.
 */
class VirtualDbiPanelStrictnessTest {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final int CMD_HZ = 10_000_000;     // the kernel's mipi_dbi_spi_cmd_max_speed
    static final int READ_HZ = 2_000_000;     // MIPI_DBI_MAX_SPI_READ_SPEED
    static final int PIXEL_HZ = 32_000_000;   // spi_speed_hz

    /** A host speaking option 3 at a chosen clock. */
    static final class Host {
        final VirtualDbiPanel p;
        int hz = CMD_HZ;

        Host(VirtualDbiPanel p) {
            this.p = p;
        }

        Host cmd(int c, int... params) {
            p.write(false, new byte[] {(byte) c}, 0, 1, hz);
            if (params.length > 0) {
                p.write(true, bytes(params), 0, params.length, hz);
            }
            return this;
        }

        Host data(int... b) {
            p.write(true, bytes(b), 0, b.length, PIXEL_HZ);
            return this;
        }

        Host window(int x0, int x1, int y0, int y1) {
            cmd(0x2A, x0 >> 8, x0 & 0xFF, x1 >> 8, x1 & 0xFF);
            return cmd(0x2B, y0 >> 8, y0 & 0xFF, y1 >> 8, y1 & 0xFF);
        }

        Host wait(int ms) {
            p.elapse(ms * MS);
            return this;
        }

        Host reset() {
            p.setReset(true);
            p.setReset(false);
            return this;
        }

        static byte[] bytes(int... v) {
            byte[] b = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = (byte) v[i];
            }
            return b;
        }
    }

    /** Reset, 120 ms, COLMOD 16-bit, SLPOUT, 120 ms, DISPON: an awake 4x3 controller, checks all on. */
    static Host awake(DbiModel m) {
        VirtualDbiPanel p = new VirtualDbiPanel(m);
        p.setWireTiming(true);
        p.setClockChecks(true);
        Host h = new Host(p).reset().wait(120).cmd(0x3A, 0x55).cmd(0x11).wait(120).cmd(0x29);
        p.assertNoViolations();
        return h;
    }

    static Host awake() {
        return awake(DbiModel.generic(4, 3));
    }

    /** A one-colour image, as expected. */
    static final class RgbImageOf {
        static org.paneld.drivers.pixel.RgbImage filled(int w, int h, int rgb) {
            org.paneld.drivers.pixel.RgbImage img = org.paneld.drivers.pixel.RgbImage.blank(w, h);
            java.util.Arrays.fill(img.rgb(), rgb);
            return img;
        }
    }

    record Wrong(String what, Consumer<Host> stream, String flagged) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Wrong> wrongStreams() {
        return Stream.of(
            new Wrong("pixel data with no memory write", h -> h.window(0, 0, 0, 0).cmd(0x29).data(0xF8, 0x00),
                    "after command 0x29, which takes none (no RAMWR in progress)"),
            new Wrong("pixel data after RASET at the pixel clock (RAMWR forgotten)", h -> h.window(0, 0, 0, 0)
                    .data(0xF8, 0x00), "parameters of command 0x2B clocked at 32.00 MHz"),
            new Wrong("pixel data before any command", h -> {
                h.p.setReset(true);
                h.p.setReset(false);
                h.p.clearViolations();
                h.data(0xF8, 0x00);
            }, "2 data byte(s) with no command in progress"),
            new Wrong("RAMWR while asleep", h -> h.wait(120).cmd(0x10).wait(5).cmd(0x2C).data(0xF8, 0x00),
                    "pixel data while the controller is asleep"),
            new Wrong("pixels past the window end", h -> h.window(0, 0, 0, 0).cmd(0x2C).data(0xF8, 0, 0xF8, 0),
                    "more pixels than the 1x1 window"),
            new Wrong("window outside the GRAM", h -> h.window(0, 4, 0, 0).cmd(0x2C).data(0xF8, 0),
                    "RAMWR into window columns 0..4 rows 0..0 outside the 4x3 GRAM"),
            new Wrong("CASET start after end", h -> h.window(3, 1, 0, 0), "CASET start 3 after end 1"),
            new Wrong("CASET with 2 parameters", h -> h.cmd(0x2A, 0, 1).cmd(0x00), "CASET with 2 parameter bytes (needs 4)"),
            new Wrong("MADCTL with no parameter", h -> h.cmd(0x36).cmd(0x00), "MADCTL with 0 parameter bytes (needs 1)"),
            new Wrong("COLMOD with 2 parameters", h -> h.cmd(0x3A, 0x55, 0x55).cmd(0x00), "COLMOD with 2 parameter bytes"),
            new Wrong("unusable COLMOD", h -> h.cmd(0x3A, 0x77), "COLMOD 0x77: only 0x55 (16-bit) and 0x66"),
            new Wrong("a pixel cut short", h -> h.cmd(0x2C).data(0xF8).cmd(0x00),
                    "memory write ended with 1 byte(s) of an incomplete 16-bit pixel"),
            new Wrong("parameter to a command that takes none", h -> h.cmd(0x28, 0x01), "after command 0x28, which takes none"),
            new Wrong("write while reset is held", h -> {
                h.p.setReset(true);
                h.cmd(0x29);
            }, "write of 1 bytes while reset is held"),
            new Wrong("command 1 ms after reset release", h -> h.reset().wait(1).cmd(0x01),
                    "after reset release (wait 5 ms)"),
            new Wrong("command 1 ms after SWRESET", h -> h.cmd(0x01).wait(1).cmd(0x28), "after SWRESET (wait 5 ms)"),
            new Wrong("SLPIN 10 ms after SLPOUT", h -> h.cmd(0x11).wait(10).cmd(0x10), "SLPIN 10.0 ms after SLPOUT (wait 120 ms)"),
            new Wrong("SLPOUT 10 ms after SLPIN", h -> h.wait(120).cmd(0x10).wait(10).cmd(0x11),
                    "after SLPIN (wait 120 ms)"),
            new Wrong("SLPOUT 50 ms after reset", h -> h.reset().wait(50).cmd(0x11), "after reset release (wait 120 ms)"),
            new Wrong("SLPOUT 50 ms after a SWRESET sent while awake", h -> h.cmd(0x01).wait(50).cmd(0x11),
                    "after a SWRESET sent while awake (wait 120 ms)"),
            new Wrong("read of an unknown register", h -> h.p.read(0x45, 2, READ_HZ), "read of unsupported register 0x45"),
            new Wrong("command at the pixel clock", h -> {
                h.hz = PIXEL_HZ;
                h.cmd(0x29);
            }, "command 0x29 clocked at 32.00 MHz, faster than generic's serial write cycle (66 ns min, 15.15 MHz max)"),
            new Wrong("parameters at 16 MHz", h -> {
                h.p.write(false, new byte[] {0x36}, 0, 1, CMD_HZ);
                h.p.write(true, new byte[] {0x08}, 0, 1, 16_000_000);
            }, "parameters of command 0x36 clocked at 16.00 MHz"),
            new Wrong("power-mode read at the pixel clock", h -> h.p.read(0x0A, 1, PIXEL_HZ),
                    "read 0x0A clocked at 32.00 MHz, faster than generic's serial read cycle (150 ns min, 6.67 MHz max)"),
            new Wrong("power-mode read at the command clock", h -> h.p.read(0x0A, 1, CMD_HZ),
                    "read 0x0A clocked at 10.00 MHz"),
            new Wrong("unknown command", h -> h.cmd(0xB9), "unknown command 0xB9 for mi0283qt"),
            new Wrong("parameters to an unknown command", h -> {
                h.cmd(0xB9);
                h.p.clearViolations();
                h.p.write(true, new byte[] {(byte) 0xFF, (byte) 0x83, 0x57}, 0, 3, CMD_HZ);
            }, "parameter byte(s) after unknown command 0xB9 (the controller ignores them)"),
            new Wrong("16-bit COLMOD on an 18-bit-only part", h -> h.cmd(0x3A, 0x55),
                    "COLMOD 0x55 (16-bit) is ignored by ili9488"),
            new Wrong("shift register: a lone command byte", h -> h.cmd(0x29), "odd byte count"),
            new Wrong("shift register: command word with a high byte", h -> h.p.write(false, new byte[] {0x29, 0}, 0, 2, CMD_HZ),
                    "command word 0x2900 through the 16-bit shift register has a non-zero high byte"),
            new Wrong("shift register: parameter word with a high byte", h -> {
                h.p.write(false, new byte[] {0, 0x36}, 0, 2, CMD_HZ);
                h.p.write(true, new byte[] {0x08, 0}, 0, 2, CMD_HZ);
            }, "parameter word 0x0800 through the 16-bit shift register has a non-zero high byte"),
            new Wrong("option 3 framing on an option 1 panel", h -> h.cmd(0x29), "wired for option 1 (no D/C line)"),
            new Wrong("option 1 framing on an option 3 panel", h -> h.p.writeOption1(new byte[9], 0, 9, CMD_HZ),
                    "option-1 (9-bit) transfer on a panel wired for option 3"),
            new Wrong("option 1 transfer of partial words", h -> h.p.writeOption1(new byte[] {0, 0x29}, 0, 2, CMD_HZ),
                    "not a whole number of 9-bit words (7 bits left over"),
            new Wrong("9-bit word with bits above bit 8", h -> h.p.writeWords9(new short[] {0x229}, 0, 1),
                    "9-bit word 0x0229 has bits above bit 8"));
    }

    /** The panel each wrong stream is sent to (most: a 4x3 generic controller, awake). */
    static Host panelFor(Wrong w) {
        switch (w.what()) {
            case "unknown command":
            case "parameters to an unknown command":
                return awake(DbiModel.mi0283qt());
            case "16-bit COLMOD on an 18-bit-only part":
                return awakeLenient(DbiModel.ili9488());
            case "shift register: a lone command byte":
            case "shift register: command word with a high byte":
            case "shift register: parameter word with a high byte":
                return awakeLenient(DbiModel.ili9486Waveshare());
            case "option 3 framing on an option 1 panel":
            case "9-bit word with bits above bit 8":
            case "option 1 transfer of partial words":
                return awakeLenient(DbiModel.generic(4, 3).toBuilder().option1(true).build());
            default:
                return awake();
        }
    }

    /** A panel with the timing rules off, for framings whose wake-up the plain host cannot send. */
    static Host awakeLenient(DbiModel m) {
        VirtualDbiPanel p = new VirtualDbiPanel(m);
        p.setWireTiming(true);
        p.setTimingChecks(false);
        p.setClockChecks(true);
        return new Host(p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongStreams")
    void eachWrongStreamIsFlaggedOnce(Wrong w) {
        Host h = panelFor(w);
        w.stream().accept(h);
        List<String> v = h.p.violations();
        assertEquals(1, v.size(), w.what() + ": " + v);
        assertTrue(v.get(0).contains(w.flagged()), w.what() + ": " + v);
    }

    /**
     * The right stream: the kernel's mi0283qt enable (REFERENCE.md) — reset, 120 ms, SWRESET,
     * 5 ms, the init table, SLPOUT, 100 ms, DISPON, 100 ms — with commands at 10 MHz, the
     * power-mode read at 2 MHz, and a full frame at 32 MHz.
     */
    @Test
    void theKernelsStreamAtTheKernelsClocksIsAccepted() {
        VirtualDbiPanel p = new VirtualDbiPanel(DbiModel.mi0283qt());
        p.setClockChecks(true);
        Host h = new Host(p);
        assertEquals(0x08, p.read(0x0A, 1, READ_HZ)[0] & 0xFF, "asleep, display off: the kernel initialises");
        h.reset().wait(120).cmd(0x01).wait(5);
        h.cmd(0x28).cmd(0xCF, 0x00, 0x83, 0x30).cmd(0xED, 0x64, 0x03, 0x12, 0x81).cmd(0xE8, 0x85, 0x01, 0x79)
                .cmd(0xCB, 0x39, 0x2C, 0x00, 0x34, 0x02).cmd(0xF7, 0x20).cmd(0xEA, 0x00, 0x00).cmd(0xC0, 0x26)
                .cmd(0xC1, 0x11).cmd(0xC5, 0x35, 0x3E).cmd(0xC7, 0xBE).cmd(0x3A, 0x55).cmd(0x36, 0xE8)
                .cmd(0xB1, 0x00, 0x1B).cmd(0xF2, 0x08).cmd(0x26, 0x01)
                .cmd(0xE0, 0x1F, 0x1A, 0x18, 0x0A, 0x0F, 0x06, 0x45, 0x87, 0x32, 0x0A, 0x07, 0x02, 0x07, 0x05, 0x00)
                .cmd(0xE1, 0x00, 0x25, 0x27, 0x05, 0x10, 0x09, 0x3A, 0x78, 0x4D, 0x05, 0x18, 0x0D, 0x38, 0x3A, 0x1F)
                .cmd(0xB7, 0x07).cmd(0xB6, 0x0A, 0x82, 0x27, 0x00).cmd(0x11).wait(100).cmd(0x29).wait(100);
        h.window(0, 319, 0, 239).cmd(0x2C);
        byte[] frame = new byte[320 * 240 * 2];
        for (int i = 0; i < frame.length; i += 2) {
            frame[i] = (byte) 0xF8; // red
        }
        for (int off = 0; off < frame.length; off += 4096) {
            p.write(true, frame, off, Math.min(4096, frame.length - off), PIXEL_HZ);
        }
        assertEquals(0x9C, p.read(0x0A, 1, READ_HZ)[0] & 0xFF, "on: the kernel's conditional reset skips the init");
        p.assertNoViolations();
        assertEquals(RgbImageOf.filled(320, 240, 0xFF0000), p.snapshot(), "red on the BGR glass, every pixel");
        assertTrue(p.describe().startsWith("mi0283qt 320x240, on"), p.describe());
    }

    @Test
    void clockChecksAreOnByDefaultCanBeSwitchedOffAndUnknownClocksAreNotJudged() {
        VirtualDbiPanel d = new VirtualDbiPanel(DbiModel.mi0283qt());
        d.setTimingChecks(false);
        d.write(false, new byte[] {0x29}, 0, 1, PIXEL_HZ);
        d.read(0x0A, 1, PIXEL_HZ);
        assertEquals(2, d.violations().size(), d.violations().toString()); // on by default (issue 13)
        VirtualDbiPanel p = new VirtualDbiPanel(DbiModel.mi0283qt());
        p.setTimingChecks(false);
        p.setClockChecks(false);
        p.write(false, new byte[] {0x29}, 0, 1, PIXEL_HZ);
        p.read(0x0A, 1, PIXEL_HZ);
        p.assertNoViolations();
        p.setClockChecks(true);
        p.write(false, new byte[] {0x29}, 0, 1); // no clock given
        p.read(0x0A, 1);
        p.assertNoViolations();
        VirtualDbiPanel q = new VirtualDbiPanel(DbiModel.mi0283qt().toBuilder().cycles(0, 0).build());
        q.setTimingChecks(false);
        q.setClockChecks(true);
        q.write(false, new byte[] {0x29}, 0, 1, PIXEL_HZ);
        q.read(0x0A, 1, PIXEL_HZ);
        q.assertNoViolations(); // a part described without cycle times is not judged
    }
}
