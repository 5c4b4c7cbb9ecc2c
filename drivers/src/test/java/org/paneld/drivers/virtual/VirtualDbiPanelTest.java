package org.paneld.drivers.virtual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.PixelOracle;

/** The emulator's controller semantics, wire framings and violation reports. */
class VirtualDbiPanelTest {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    // ------------------------------------------------------------ a tiny host speaking option 3

    static void cmd(VirtualDbiPanel p, int c, int... params) {
        p.write(false, new byte[] {(byte) c}, 0, 1);
        if (params.length > 0) {
            byte[] b = new byte[params.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) params[i];
            }
            p.write(true, b, 0, b.length);
        }
    }

    static void data(VirtualDbiPanel p, byte[] b) {
        p.write(true, b, 0, b.length);
    }

    static void window(VirtualDbiPanel p, int x0, int y0, int x1, int y1) {
        cmd(p, 0x2A, x0 >> 8, x0 & 0xFF, x1 >> 8, x1 & 0xFF);
        cmd(p, 0x2B, y0 >> 8, y0 & 0xFF, y1 >> 8, y1 & 0xFF);
    }

    /** Reset pulse and the kernel's wake-up with the waits declared as skipped time. */
    static VirtualDbiPanel awake(DbiModel m, int colmod) {
        VirtualDbiPanel p = new VirtualDbiPanel(m);
        p.setReset(true);
        p.setReset(false);
        p.elapse(120 * MS);
        cmd(p, 0x01);
        p.elapse(5 * MS);
        cmd(p, 0x3A, colmod);
        cmd(p, 0x11);
        p.elapse(120 * MS);
        cmd(p, 0x29);
        return p;
    }

    static byte[] be565(int... rgb) {
        byte[] b = new byte[rgb.length * 2];
        for (int i = 0; i < rgb.length; i++) {
            int v = PixelOracle.xrgb8888ToRgb565(rgb[i]);
            b[2 * i] = (byte) (v >> 8);
            b[2 * i + 1] = (byte) v;
        }
        return b;
    }

    static DbiModel small() {
        return DbiModel.generic(4, 3);
    }

    // ------------------------------------------------------------ windows and memory writes

    @Test
    void windowWrapsToNextRowThenBackToTheStart() {
        VirtualDbiPanel p = awake(small(), 0x55);
        window(p, 1, 0, 2, 1); // 2x2 window at column 1
        cmd(p, 0x2C);
        // 6 pixels into a 4-pixel window: pixels 5 and 6 wrap over pixels 1 and 2
        data(p, be565(0x100000, 0x200000, 0x300000, 0x400000, 0x500000, 0x600000));
        RgbImage g = p.gram();
        assertEquals(PixelOracle.shown565FromXrgb(0x500000), g.get(1, 0));
        assertEquals(PixelOracle.shown565FromXrgb(0x600000), g.get(2, 0));
        assertEquals(PixelOracle.shown565FromXrgb(0x300000), g.get(1, 1));
        assertEquals(PixelOracle.shown565FromXrgb(0x400000), g.get(2, 1));
        assertEquals(0, g.get(0, 0));
        assertEquals(0, g.get(3, 0));
        assertEquals(1, p.framesWritten());
        // the chip wraps silently, but a host that sends more than the window holds overwrites its own pixels
        assertEquals(List.of("byte 25: more pixels than the 2x2 window (columns 1..2 rows 0..1): the address "
                + "counter wrapped to the window start and overwrites it"), p.violations());
    }

    @Test
    void ramwrRestartsAtTheWindowAndRamwrcContinues() {
        VirtualDbiPanel p = awake(small(), 0x55);
        window(p, 0, 0, 3, 0);
        cmd(p, 0x2C);
        data(p, be565(0x0000F8, 0x0000F8));
        cmd(p, 0x3C);
        data(p, be565(0xF80000));
        cmd(p, 0x2C);
        data(p, be565(0x00FC00));
        RgbImage g = p.gram();
        assertEquals(0x00FF00, g.get(0, 0));      // RAMWR started over at the window start
        assertEquals(0x0000FF, g.get(1, 0));
        assertEquals(0xFF0000, g.get(2, 0));      // RAMWRC continued after pixel 2
        assertEquals(3, p.framesWritten());
        p.assertNoViolations();
    }

    @Test
    void aPixelMaySpanTwoTransfers() {
        VirtualDbiPanel p = awake(small(), 0x66);
        window(p, 0, 0, 0, 0);
        cmd(p, 0x2C);
        p.write(true, new byte[] {(byte) 0xFC, 0x10}, 0, 2);
        p.write(true, new byte[] {(byte) 0x84}, 0, 1);
        assertEquals(PixelOracle.shown666(0xFC1084), p.gram().get(0, 0));
        p.assertNoViolations();
    }

    // ------------------------------------------------------------ MADCTL, the datasheet table

    /** Where logical (x, y) lands for each MV/MX/MY per the ST7735R datasheet's "memory data write direction". */
    @Test
    void madctlFollowsTheDatasheetTable() {
        int w = 128, h = 160;
        int[][] cases = { // madctl, x, y, expected column, expected row
            {0x00, 5, 7, 5, 7},
            {0x80, 5, 7, 5, h - 1 - 7},            // MY: RASET -> 159 - row
            {0x40, 5, 7, w - 1 - 5, 7},            // MX: CASET -> 127 - column
            {0x20, 5, 7, 7, 5},                    // MV: CASET -> row, RASET -> column
            {0xA0, 5, 7, 7, h - 1 - 5},            // MV|MY: CASET -> 159 - row
            {0x60, 5, 7, w - 1 - 7, 5},            // MV|MX: RASET -> 127 - column
            {0xE0, 5, 7, w - 1 - 7, h - 1 - 5},
            {0xC0, 5, 7, w - 1 - 5, h - 1 - 7},
        };
        for (int[] c : cases) {
            VirtualDbiPanel p = awake(DbiModel.generic(w, h), 0x55);
            cmd(p, 0x36, c[0]);
            window(p, c[1], c[2], c[1], c[2]);
            cmd(p, 0x2C);
            data(p, be565(0xFFFFFF));
            RgbImage g = p.gram();
            assertEquals(0xFFFFFF, g.get(c[3], c[4]), String.format("MADCTL %02X", c[0]));
            p.assertNoViolations();
        }
    }

    @Test
    void mvSwapsTheLogicalSizeAndTheWindowCheck() {
        VirtualDbiPanel p = awake(DbiModel.generic(4, 8), 0x55);
        cmd(p, 0x36, 0x20);
        window(p, 0, 0, 7, 3); // 8 wide, 4 high: fine with MV
        cmd(p, 0x2C);
        data(p, be565(0xFFFFFF));
        p.assertNoViolations();
        cmd(p, 0x36, 0x00);
        cmd(p, 0x2C);
        assertTrue(p.violations().get(0).contains("outside the 4x8 GRAM"), p.violations().toString());
    }

    @Test
    void bgrBitSwapsRedAndBlueOnTheGlass() {
        VirtualDbiPanel p = awake(DbiModel.generic(2, 1), 0x55);
        window(p, 0, 0, 1, 0);
        cmd(p, 0x2C);
        data(p, be565(0xFF0000, 0x0000FF));
        assertEquals(0xFF0000, p.snapshot().get(0, 0));
        cmd(p, 0x36, 0x08);
        assertEquals(0x0000FF, p.snapshot().get(0, 0));
        assertEquals(0xFF0000, p.snapshot().get(1, 0));
        assertEquals(0xFF0000, p.gram().get(0, 0)); // GRAM is as written
        // a BGR glass wants the bit set
        VirtualDbiPanel q = awake(DbiModel.generic(1, 1).toBuilder().bgrPanel(true).build(), 0x55);
        cmd(q, 0x2C);
        data(q, be565(0xFF0000));
        assertEquals(0x0000FF, q.snapshot().get(0, 0));
        cmd(q, 0x36, 0x08);
        assertEquals(0xFF0000, q.snapshot().get(0, 0));
    }

    @Test
    void colmodSelectsSixteenOrEighteenBitDecoding() {
        VirtualDbiPanel p = awake(DbiModel.generic(2, 1), 0x66);
        window(p, 0, 0, 1, 0);
        cmd(p, 0x2C);
        data(p, new byte[] {(byte) 0xFF, 0x03, 0x41, 0x12, 0x34, 0x56}); // low 2 bits ignored
        assertEquals(0xFF0041, p.gram().get(0, 0));
        assertEquals(PixelOracle.shown666(0x123456), p.gram().get(1, 0));
        cmd(p, 0x3A, 0x55);
        cmd(p, 0x2C);
        data(p, new byte[] {(byte) 0xF8, 0x1F});
        assertEquals(0xFF00FF, p.gram().get(0, 0));
        p.assertNoViolations();
    }

    @Test
    void inversionAndIpsGlass() {
        VirtualDbiPanel p = awake(DbiModel.generic(1, 1), 0x55);
        cmd(p, 0x2C);
        data(p, be565(0xFF0000));
        cmd(p, 0x21);
        assertEquals(0x00FFFF, p.snapshot().get(0, 0));
        cmd(p, 0x20);
        assertEquals(0xFF0000, p.snapshot().get(0, 0));
        VirtualDbiPanel ips = awake(DbiModel.generic(1, 1).toBuilder().invertedGlass(true).build(), 0x55);
        cmd(ips, 0x2C);
        data(ips, be565(0xFF0000));
        assertEquals(0x00FFFF, ips.snapshot().get(0, 0));
        cmd(ips, 0x21);
        assertEquals(0xFF0000, ips.snapshot().get(0, 0));
    }

    @Test
    void darkWhenAsleepOffInResetOrBacklightOff() {
        VirtualDbiPanel p = awake(DbiModel.generic(1, 1), 0x55);
        cmd(p, 0x2C);
        data(p, be565(0xFFFFFF));
        assertEquals(0xFFFFFF, p.snapshot().get(0, 0));
        p.setBacklight(0);
        assertEquals(0, p.snapshot().get(0, 0));
        p.setBacklight(40);
        assertEquals(0xFFFFFF, p.snapshot().get(0, 0));
        cmd(p, 0x28);
        assertEquals(0, p.snapshot().get(0, 0));
        cmd(p, 0x29);
        assertEquals(0xFFFFFF, p.snapshot().get(0, 0));
        p.elapse(120 * MS);
        cmd(p, 0x10);
        assertEquals(0, p.snapshot().get(0, 0));
        assertTrue(p.isSleeping());
        p.assertNoViolations();
        p.setReset(true);
        assertEquals(0, p.snapshot().get(0, 0));
    }

    // ------------------------------------------------------------ reset

    @Test
    void resetPulseRestoresDefaultsAndWritesDuringResetAreViolations() {
        VirtualDbiPanel p = awake(DbiModel.generic(4, 3), 0x55);
        cmd(p, 0x36, 0x68);
        window(p, 1, 1, 2, 2);
        cmd(p, 0x21);
        p.setReset(true);
        cmd(p, 0x29);
        assertEquals(1, p.violations().size());
        assertTrue(p.violations().get(0).contains("while reset is held"), p.violations().toString());
        p.setReset(false);
        assertEquals(0, p.madctl());
        assertEquals(0x66, p.colmod());
        assertTrue(p.isSleeping());
        assertFalse(p.isDisplayOn());
        assertFalse(p.isInverted());
        assertArrayEquals(new int[] {0, 3, 0, 2}, p.window());
        assertEquals(DbiCommand.reset(), p.commandLog().get(p.commandLog().size() - 1));
    }

    @Test
    void swresetResetsRegistersToo() {
        VirtualDbiPanel p = awake(DbiModel.generic(4, 3), 0x55);
        cmd(p, 0x36, 0x48);
        cmd(p, 0x01);
        p.elapse(120 * MS);
        assertEquals(0, p.madctl());
        assertTrue(p.isSleeping());
        assertFalse(p.isDisplayOn());
        p.assertNoViolations();
    }

    // ------------------------------------------------------------ violations

    @Test
    void pixelDataBeforeAnyMemoryWrite() {
        VirtualDbiPanel p = awake(small(), 0x55);
        window(p, 0, 0, 0, 0);
        cmd(p, 0x29);
        data(p, be565(0xFFFFFF));
        assertTrue(p.violations().get(0).contains("takes none (no RAMWR in progress)"), p.violations().toString());
        VirtualDbiPanel q = new VirtualDbiPanel(small());
        q.setTimingChecks(false);
        data(q, be565(0xFFFFFF));
        assertTrue(q.violations().get(0).startsWith("byte 0: 2 data byte(s) with no command"), q.violations().toString());
    }

    @Test
    void pixelDataWhileAsleep() {
        VirtualDbiPanel p = new VirtualDbiPanel(small());
        p.setTimingChecks(false);
        cmd(p, 0x2C);
        data(p, be565(1, 2, 3));
        assertEquals(List.of("byte 1: pixel data while the controller is asleep (no SLPOUT since reset/SLPIN)"),
                p.violations());
    }

    @Test
    void unknownCommand() {
        VirtualDbiPanel p = awake(DbiModel.mi0283qt(), 0x55);
        cmd(p, 0xB9, 0xFF, 0x83, 0x57); // an HX8357D command
        assertTrue(p.violations().get(0).contains("unknown command 0xB9 for mi0283qt"), p.violations().toString());
    }

    @Test
    void wrongParameterCounts() {
        VirtualDbiPanel p = awake(small(), 0x55);
        cmd(p, 0x2A, 0, 0, 0);
        cmd(p, 0x2B, 0, 0, 0, 1, 0);
        cmd(p, 0x36);
        cmd(p, 0x3A, 0x55, 0x55);
        cmd(p, 0x00);
        List<String> v = p.violations();
        assertEquals(4, v.size(), v.toString());
        assertTrue(v.get(0).contains("CASET with 3 parameter bytes (needs 4)"), v.toString());
        assertTrue(v.get(1).contains("RASET with 5 parameter bytes"), v.toString());
        assertTrue(v.get(2).contains("MADCTL with 0 parameter bytes (needs 1)"), v.toString());
        assertTrue(v.get(3).contains("COLMOD with 2 parameter bytes"), v.toString());
    }

    @Test
    void aForgottenRamwrIsReported() {
        VirtualDbiPanel p = awake(DbiModel.generic(100, 100), 0x55);
        window(p, 0, 0, 99, 99);
        data(p, new byte[20000]); // the frame goes into RASET's parameters
        cmd(p, 0x00);
        List<String> v = p.violations();
        assertEquals(2, v.size(), v.toString());
        assertTrue(v.get(0).contains("more than 4096 parameter bytes after command 0x2B (pixel data without RAMWR?)"),
                v.toString());
        assertTrue(v.get(1).contains("RASET with 20004 parameter bytes (needs 4)"), v.toString());
        assertEquals(4096, p.commandLog().get(p.commandLog().size() - 2).params().length);
        assertArrayEquals(new int[] {0, 99, 0, 99}, p.window());
    }

    @Test
    void windowOutsideGramAndBackwards() {
        VirtualDbiPanel p = awake(small(), 0x55);
        window(p, 0, 0, 4, 2);
        cmd(p, 0x2C);
        data(p, be565(0xFFFFFF));
        window(p, 3, 0, 1, 0);
        List<String> v = p.violations();
        assertTrue(v.get(0).contains("RAMWR into window columns 0..4 rows 0..2 outside the 4x3 GRAM (MADCTL 0x00)"),
                v.toString());
        assertTrue(v.get(1).contains("CASET start 3 after end 1"), v.toString());
    }

    @Test
    void oddByteCountAtTheEndOfABurst() {
        VirtualDbiPanel p = awake(small(), 0x55);
        cmd(p, 0x2C);
        data(p, new byte[] {1, 2, 3});
        assertTrue(p.violations().isEmpty());
        cmd(p, 0x00);
        assertTrue(p.violations().get(0).contains("memory write ended with 1 byte(s) of an incomplete 16-bit pixel"),
                p.violations().toString());
        assertThrows(AssertionError.class, p::assertNoViolations);
    }

    @Test
    void timingRules() {
        VirtualDbiPanel p = new VirtualDbiPanel(small());
        p.setWireTiming(true); // a logical clock: a stalled test thread cannot make "immediately" 5 ms late
        p.setReset(true);
        p.setReset(false);
        cmd(p, 0x01); // immediately after reset
        assertTrue(p.violations().get(0).contains("after reset release (wait 5 ms)"), p.violations().toString());
        p.clearViolations();
        p.elapse(120 * MS);
        cmd(p, 0x11);
        cmd(p, 0x10); // SLPOUT immediately followed by SLPIN
        List<String> v = p.violations();
        assertEquals(2, v.size(), v.toString());
        assertTrue(v.get(0).contains("command 0x10") && v.get(0).contains("after SLPOUT (wait 5 ms)"), v.toString());
        assertTrue(v.get(1).contains("SLPIN") && v.get(1).contains("after SLPOUT (wait 120 ms)"), v.toString());
        p.clearViolations();
        p.elapse(10 * MS);
        cmd(p, 0x11); // only 10 ms after SLPIN
        assertTrue(p.violations().get(0).contains("after SLPIN (wait 120 ms)"), p.violations().toString());
    }

    @Test
    void theKernelsWaitsAreEnough() {
        // mipi_dbi_poweron_reset: reset 120 ms, SWRESET, 5 ms; then init, SLPOUT, 100 ms, DISPON
        VirtualDbiPanel p = new VirtualDbiPanel(DbiModel.mi0283qt());
        p.setReset(true);
        p.setReset(false);
        p.elapse(120 * MS);
        cmd(p, 0x01);
        p.elapse(5 * MS);
        cmd(p, 0x28);
        cmd(p, 0x11);
        p.elapse(100 * MS);
        cmd(p, 0x29);
        p.elapse(100 * MS);
        p.assertNoViolations();
    }

    // ------------------------------------------------------------ reads

    @Test
    void powerModeReadMatchesTheKernelsDisplayIsOnCheck() {
        VirtualDbiPanel p = new VirtualDbiPanel(DbiModel.mi0283qt());
        assertEquals(0x08, p.read(0x0A, 1)[0] & 0xFF);
        p = awake(DbiModel.mi0283qt(), 0x55);
        int v = p.read(0x0A, 1)[0] & 0xFF;
        assertEquals(0x9C, v);
        assertEquals(0x1C, v & ~0x83); // mipi_dbi_display_is_on
        cmd(p, 0x36, 0xE8);
        assertEquals(0xE8, p.read(0x0B, 1)[0] & 0xFF);
        assertEquals(0x55, p.read(0x0C, 1)[0] & 0xFF);
        assertArrayEquals(new byte[] {0x00, (byte) 0x93, 0x41}, p.read(0x04, 3));
        byte[] st = p.read(0x09, 4);
        assertEquals(0x80 | 0xE8 >> 1 & 0x7E, st[0] & 0xFF);
        assertEquals(DbiCommand.read(0x09, st), p.commandLog().get(p.commandLog().size() - 1));
        p.assertNoViolations();
        // a write-only board reads zeros
        VirtualDbiPanel w = awake(DbiModel.st7735r(), 0x55);
        assertEquals(0, w.read(0x0A, 1)[0]);
    }

    // ------------------------------------------------------------ command log

    @Test
    void commandLogKeepsParametersAndSummarisesPixels() {
        VirtualDbiPanel p = awake(small(), 0x55);
        p.clearCommandLog();
        window(p, 0, 0, 1, 1);
        cmd(p, 0x2C);
        data(p, be565(1, 2, 3, 4));
        assertEquals(List.of(DbiCommand.of(0x2A, 0, 0, 0, 1), DbiCommand.of(0x2B, 0, 0, 0, 1),
                DbiCommand.memoryWrite(0x2C, 8)), p.commandLog());
        assertEquals("2C [8 pixel bytes]", p.commandLog().get(2).toString());
        assertEquals("2A 00 00 00 01", p.commandLog().get(0).toString());
        assertEquals(8 + 1 + 4 + 1 + 4 + 1, p.bytesReceived() - bytesBefore());
    }

    private static long bytesBefore() {
        // awake(): SWRESET 1, COLMOD 2, SLPOUT 1, DISPON 1
        return 5;
    }

    // ------------------------------------------------------------ option 1 framing

    /** The kernel's mipi_dbi_spi1e_transfer framing, restated: commands behind seven NOPs, data in 8-byte blocks. */
    static byte[] spi1eCommand(int c) {
        byte[] b = new byte[9];
        b[8] = (byte) c;
        return b;
    }

    static byte[] spi1eData(byte[] src) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        for (; i + 8 <= src.length; i += 8) {
            int[] s = new int[8];
            for (int k = 0; k < 8; k++) {
                s[k] = src[i + k] & 0xFF;
            }
            out.write(0x80 | s[0] >> 1);
            out.write(s[0] << 7 | 0x40 | s[1] >> 2);
            out.write(s[1] << 6 | 0x20 | s[2] >> 3);
            out.write(s[2] << 5 | 0x10 | s[3] >> 4);
            out.write(s[3] << 4 | 0x08 | s[4] >> 5);
            out.write(s[4] << 3 | 0x04 | s[5] >> 6);
            out.write(s[5] << 2 | 0x02 | s[6] >> 7);
            out.write(s[6] << 1 | 0x01);
            out.write(s[7]);
        }
        int chunk = src.length - i;
        if (chunk > 0) {
            byte[] blk = new byte[9];
            int carry = 0, d = 0;
            for (int k = 1; k <= chunk; k++) {
                int val = src[i++] & 0xFF;
                blk[d++] = (byte) (carry | 1 << (8 - k) | val >> k);
                carry = val << (8 - k) & 0xFF;
            }
            blk[d] = (byte) carry;
            out.writeBytes(blk);
        }
        return out.toByteArray();
    }

    static void cmd1(VirtualDbiPanel p, int c, int... params) {
        byte[] f = spi1eCommand(c);
        p.writeOption1(f, 0, f.length);
        if (params.length > 0) {
            byte[] b = new byte[params.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) params[i];
            }
            byte[] d = spi1eData(b);
            p.writeOption1(d, 0, d.length);
        }
    }

    @Test
    void optionOneFramesDecodeIncludingNopPadding() {
        VirtualDbiPanel p = new VirtualDbiPanel(DbiModel.generic(3, 2).toBuilder().option1(true).build());
        p.setReset(true);
        p.setReset(false);
        p.elapse(120 * MS);
        cmd1(p, 0x3A, 0x55);              // 1 parameter: a padded partial block
        cmd1(p, 0x11);
        p.elapse(120 * MS);
        cmd1(p, 0x29);
        cmd1(p, 0x2A, 0, 0, 0, 2);        // 4 parameters
        cmd1(p, 0x2B, 0, 0, 0, 1);
        byte[] px = be565(0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0x808080, 0x123456);
        cmd1(p, 0x2C);
        byte[] f = spi1eData(px);         // 12 bytes: one full block and a 4-byte tail with NOP padding
        p.writeOption1(f, 0, f.length);
        RgbImage g = p.gram();
        assertEquals(0xFF0000, g.get(0, 0));
        assertEquals(0x00FF00, g.get(1, 0));
        assertEquals(0x0000FF, g.get(2, 0));
        assertEquals(0xFFFFFF, g.get(0, 1));
        assertEquals(PixelOracle.shown565FromXrgb(0x808080), g.get(1, 1));
        assertEquals(PixelOracle.shown565FromXrgb(0x123456), g.get(2, 1));
        assertEquals(0x55, p.colmod());
        p.assertNoViolations();
        // NOP padding words are framing, not logged commands
        assertEquals(List.of(DbiCommand.reset(), DbiCommand.of(0x3A, 0x55), DbiCommand.of(0x11), DbiCommand.of(0x29),
                DbiCommand.of(0x2A, 0, 0, 0, 2), DbiCommand.of(0x2B, 0, 0, 0, 1), DbiCommand.memoryWrite(0x2C, 12)),
                p.commandLog());
    }

    @Test
    void nativeNineBitWords() {
        VirtualDbiPanel p = new VirtualDbiPanel(DbiModel.generic(1, 1).toBuilder().option1(true).build());
        p.setTimingChecks(false);
        short[] w = {0x11, 0x29, 0x3A, 0x155, 0x2C, 0x1F8, 0x100};
        p.writeWords9(w, 0, w.length);
        assertEquals(0xFF0000, p.gram().get(0, 0));
        assertEquals(0xFF0000, p.snapshot().get(0, 0));
        p.assertNoViolations();
        p.writeWords9(new short[] {0x229}, 0, 1);
        assertTrue(p.violations().get(0).contains("bits above bit 8"), p.violations().toString());
    }

    @Test
    void optionOneAndOptionThreeAreNotInterchangeable() {
        VirtualDbiPanel p = new VirtualDbiPanel(DbiModel.generic(3, 2).toBuilder().option1(true).build());
        p.setTimingChecks(false);
        cmd(p, 0x29);
        assertTrue(p.violations().get(0).contains("wired for option 1"), p.violations().toString());
        VirtualDbiPanel q = new VirtualDbiPanel(DbiModel.generic(3, 2));
        q.setTimingChecks(false);
        cmd1(q, 0x29);
        assertTrue(q.violations().get(0).contains("wired for option 3"), q.violations().toString());
        VirtualDbiPanel r = new VirtualDbiPanel(DbiModel.generic(3, 2).toBuilder().option1(true).build());
        r.setTimingChecks(false);
        r.writeOption1(new byte[] {0x00, 0x29}, 0, 2); // 16 bits: one word and 7 stray bits
        assertTrue(r.violations().get(0).contains("not a whole number of 9-bit words (7 bits left over"),
                r.violations().toString());
    }

    // ------------------------------------------------------------ the Waveshare 16-bit shift register

    static void cmd16(VirtualDbiPanel p, int c, int... params) {
        p.write(false, new byte[] {0, (byte) c}, 0, 2);
        if (params.length > 0) {
            byte[] b = new byte[params.length * 2];
            for (int i = 0; i < params.length; i++) {
                b[2 * i + 1] = (byte) params[i];
            }
            p.write(true, b, 0, b.length);
        }
    }

    @Test
    void shiftRegisterModeTakesSixteenBitWords() {
        VirtualDbiPanel p = new VirtualDbiPanel(DbiModel.ili9486Waveshare());
        p.setReset(true);
        p.setReset(false);
        p.elapse(120 * MS);
        cmd16(p, 0xB0);
        cmd16(p, 0x11);
        p.elapse(250 * MS);
        cmd16(p, 0x3A, 0x55);
        cmd16(p, 0x29);
        cmd16(p, 0x2A, 0, 0, 0, 1);
        cmd16(p, 0x2B, 0, 0, 0, 0);
        cmd16(p, 0x2C);
        data(p, be565(0xF80000, 0x0000F8)); // pixel data goes as-is: one 16-bit word per pixel
        assertEquals(0xFF0000, p.gram().get(0, 0));
        assertEquals(0x0000FF, p.gram().get(1, 0));
        p.assertNoViolations();
        assertEquals(List.of(DbiCommand.of(0x2A, 0, 0, 0, 1), DbiCommand.of(0x2B, 0, 0, 0, 0), DbiCommand.memoryWrite(0x2C, 4)),
                p.commandLog().subList(p.commandLog().size() - 3, p.commandLog().size()));
        // forgetting the padding: "2A" alone is half a word, and a parameter with a high byte is flagged
        p.write(false, new byte[] {0x2A}, 0, 1);
        assertTrue(p.violations().get(0).contains("odd byte count"), p.violations().toString());
        p.write(false, new byte[] {0x2A, 0x00}, 0, 2);
        assertTrue(p.violations().get(1).contains("command word 0x2A00"), p.violations().toString());
    }

    @Test
    void shiftRegisterPixelsWhileAsleepAreFlagged() {
        VirtualDbiPanel p = new VirtualDbiPanel(DbiModel.ili9486Waveshare());
        p.setTimingChecks(false);
        cmd16(p, 0x3A, 0x55);
        cmd16(p, 0x2C);
        data(p, be565(0xFFFFFF, 0xFFFFFF));
        assertEquals(1, p.violations().size(), p.violations().toString());
        assertTrue(p.violations().get(0).contains("asleep"), p.violations().toString());
        assertEquals(DbiCommand.memoryWrite(0x2C, 4), p.commandLog().get(p.commandLog().size() - 1));
    }

    // ------------------------------------------------------------ 18-bit-only controllers

    @Test
    void ili9488IgnoresSixteenBitColmod() {
        VirtualDbiPanel p = awake(DbiModel.ili9488(), 0x55);
        assertTrue(p.violations().get(0).contains("COLMOD 0x55 (16-bit) is ignored by ili9488"), p.violations().toString());
        p.clearViolations();
        window(p, 0, 0, 0, 0);
        cmd(p, 0x2C);
        data(p, new byte[] {(byte) 0xFC, 0, 0});
        assertEquals(0xFF0000, p.gram().get(0, 0)); // 3 bytes per pixel although COLMOD said 16-bit
        p.assertNoViolations();
    }

    // ------------------------------------------------------------ what a person sees

    /** Draws an image the way a driver does: MADCTL for the rotation, window with RAM offsets, RAMWR. */
    static void draw(VirtualDbiPanel p, RgbImage img, int madctlBits, int[] off) {
        cmd(p, 0x36, madctlBits | (p.model().bgrPanel() ? 0x08 : 0));
        window(p, off[0], off[1], off[0] + img.width() - 1, off[1] + img.height() - 1);
        byte[] px = new byte[img.width() * img.height() * 3];
        for (int i = 0; i < img.rgb().length; i++) {
            int c = img.rgb()[i];
            px[3 * i] = (byte) (c >> 16);
            px[3 * i + 1] = (byte) (c >> 8);
            px[3 * i + 2] = (byte) c;
        }
        cmd(p, 0x2C);
        data(p, px);
    }

    static RgbImage testImage(int w, int h) {
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = (x * 255 / Math.max(1, w - 1)) << 16 | (y * 255 / Math.max(1, h - 1)) << 8 | ((x ^ y) & 1) * 0xFC;
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                    c = 0xFFFFFF;
                }
                img.set(x, y, c);
            }
        }
        img.set(1, 1, 0xFC0000); // an asymmetric mark near the top-left corner
        return img;
    }

    @Test
    void everyPresetAndRotationShowsTheImageUpright() {
        DbiModel[] models = {DbiModel.mi0283qt(), DbiModel.yx240qv29(), DbiModel.st7735r(), DbiModel.st7735rOffset(),
            DbiModel.rh128128t(), DbiModel.st7789v(), DbiModel.st7789v240x240(), DbiModel.ili9486(), DbiModel.hx8357d(),
            DbiModel.ili9488(), DbiModel.generic(7, 5).toBuilder().glass(1, 2, 5, 3).mount(0x60).build()};
        for (DbiModel m : models) {
            for (int rot : new int[] {0, 90, 180, 270}) {
                VirtualDbiPanel p = awake(m, 0x66);
                if (m.invertedGlass()) {
                    cmd(p, 0x21);
                }
                boolean turned = rot == 90 || rot == 270;
                int w = turned ? m.viewHeight() : m.viewWidth(), h = turned ? m.viewWidth() : m.viewHeight();
                RgbImage img = testImage(w, h);
                int bits = m.madctlFor(rot);
                draw(p, img, bits, m.ramOffset(bits));
                RgbImage want = img.copy();
                for (int i = 0; i < want.rgb().length; i++) {
                    want.rgb()[i] = PixelOracle.shown666(want.rgb()[i]);
                }
                assertNull(want.firstDifference(p.snapshot(rot)), m + " rotation " + rot);
                p.assertNoViolations();
            }
        }
    }

    @Test
    void kernelMadctlTablesAgainstTheConvention() {
        // mi0283qt / ili9486 (rotation 0, 90, 180, 270) and st7735r follow DRM's counter-clockwise rotation
        int[] mi = {0xE0, 0x80, 0x20, 0x40};
        int[] st = {0xC0, 0x60, 0x00, 0xA0};
        int[] hx = {0xC0, 0xA0, 0x00, 0x60};
        for (int i = 0; i < 4; i++) {
            assertEquals(mi[i], DbiModel.mi0283qt().madctlFor(i * 90), "mi0283qt " + i * 90);
            assertEquals(mi[i], DbiModel.ili9486().madctlFor(i * 90), "ili9486 " + i * 90);
            assertEquals(st[i], DbiModel.st7735r().madctlFor(i * 90), "st7735r " + i * 90);
        }
        // hx8357d's kernel table turns the other way: its "90" is our 270
        assertEquals(hx[1], DbiModel.hx8357d().madctlFor(270));
        assertEquals(hx[3], DbiModel.hx8357d().madctlFor(90));
        // so does ili9341.c (yx240qv29): 0 MX, 90 MV, 180 MY, 270 MV|MY|MX
        assertEquals(0x40, DbiModel.yx240qv29().madctlFor(0));
        assertEquals(0x20, DbiModel.yx240qv29().madctlFor(270));
        assertEquals(0x80, DbiModel.yx240qv29().madctlFor(180));
        assertEquals(0xE0, DbiModel.yx240qv29().madctlFor(90));
    }

    @Test
    void st7789v240x240NeedsTheEightyRowOffsetWhenTurned() {
        DbiModel m = DbiModel.st7789v240x240();
        assertArrayEquals(new int[] {0, 0}, m.ramOffset(m.madctlFor(0)));
        assertArrayEquals(new int[] {0, 80}, m.ramOffset(m.madctlFor(180)));
        assertArrayEquals(new int[] {80, 0}, m.ramOffset(m.madctlFor(90)));
        assertArrayEquals(new int[] {0, 0}, m.ramOffset(m.madctlFor(270)));
        assertArrayEquals(new int[] {2, 1}, DbiModel.st7735rOffset().ramOffset(0xC0));
        assertArrayEquals(new int[] {2, 3}, DbiModel.rh128128t().ramOffset(0xC0)); // the kernel's rh128128t offsets
    }

    @Test
    void snapshotIsInTheMountedOrientationAndPngExportWorks(@TempDir Path dir) throws Exception {
        VirtualDbiPanel p = awake(DbiModel.mi0283qt(), 0x55);
        RgbImage s = p.snapshot();
        assertEquals(320, s.width());
        assertEquals(240, s.height());
        assertEquals(240, p.glassImage().width());
        p.setViewRotation(90);
        assertEquals(240, p.snapshot().width());
        Path png = dir.resolve("panel.png");
        p.snapshot().writePng(png);
        assertTrue(Files.size(png) > 0);
        assertEquals(p.snapshot(), RgbImage.readImage(png));
        assertTrue(p.describe().startsWith("mi0283qt 320x240, on"), p.describe());
    }

    @Test
    void modelChecksItsGlass() {
        assertThrows(IllegalArgumentException.class,
                () -> DbiModel.builder("x", 10, 10).glass(5, 5, 6, 5).build());
        assertThrows(IllegalArgumentException.class, () -> DbiModel.builder("x", 0, 10));
    }
}
