package org.paneld.drivers.virtual;

import static org.junit.jupiter.api.Assertions.*;
import static org.paneld.drivers.virtual.VirtualDbiPanelTest.MS;
import static org.paneld.drivers.virtual.VirtualDbiPanelTest.awake;
import static org.paneld.drivers.virtual.VirtualDbiPanelTest.cmd;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The emulator's display scan, TE output and torn-frame detection, from a hand-made wire: the
 * ILI9341's refresh follows FRMCTR1 (615 kHz / (RTNA x 2^DIVA x 324 lines): 70.3 Hz after reset),
 * TE is low until TEON and then high for the 4 blanking lines of each refresh, and on a timed wire
 * (62.5 MHz: a 240x320 frame takes 19.7 ms) a frame started on the TE edge, racing a scan that
 * is faster than the wire, tears, while the same frame started right behind the scan, trailing
 * it, does not.
 */
class VirtualDbiScanTest {
    private static final int HZ = 62_500_000;

    private static long period(int diva, int rtna) {
        return Math.round(1e9 * rtna * (1 << diva) * 324 / 615_000.0);
    }

    @Test
    void theRefreshFollowsFrmctr1AndTeMarksTheBlanking() {
        VirtualDbiPanel p = awake(DbiModel.mi0283qt(), 0x55);
        assertEquals(period(0, 0x1B), p.refreshPeriodNanos(), "70 Hz after reset");
        assertFalse(p.teLevel());
        assertEquals(Long.MIN_VALUE, p.nextTeEdge(true, p.nanoTime()), "TE does not move before TEON");
        cmd(p, 0xB1, 0x00, 0x10);
        assertEquals(period(0, 0x10), p.refreshPeriodNanos(), "RTNA 16 clocks per line: 118.6 Hz");
        cmd(p, 0xB1, 0x01, 0x1F);
        assertEquals(period(1, 0x1F), p.refreshPeriodNanos());
        p.assertNoViolations();
        cmd(p, 0xB1, 0x00, 0x0F);
        assertTrue(p.violations().get(0).contains("RTNA"), p.violations().toString());
        p.clearViolations();

        cmd(p, 0x35, 0x00);
        assertTrue(p.isTeOn());
        long now = p.nanoTime();
        long rise = p.nextTeEdge(true, now), fall = p.nextTeEdge(false, rise);
        long line = p.refreshPeriodNanos() / 324;
        assertEquals(4 * line, fall - rise, "high for the 4 blanking lines");
        assertEquals(p.refreshPeriodNanos(), p.nextTeEdge(true, rise) - rise);
        p.setWireTiming(true);
        p.elapse(rise - p.nanoTime() + line);
        assertTrue(p.teLevel(), "inside the blanking");
        p.elapse(4 * line);
        assertFalse(p.teLevel(), "scanning");
        p.setTeWired(false);
        assertEquals(Long.MIN_VALUE, p.nextTeEdge(true, p.nanoTime()), "a TE pad not wired never moves");
        p.setTeWired(true);
        cmd(p, 0x35, 0x01); // V- and H-blanking: a short pulse at the end of every line as well
        long r = p.nextTeEdge(true, fall);
        assertTrue(r - fall < line && p.nextTeEdge(false, r) - r == line / 8, (r - fall) + " " + line);
        cmd(p, 0x34);
        assertFalse(p.isTeOn());
        p.assertNoViolations();
    }

    /** A full 240x320 frame of one colour, at 62.5 MHz in 4096-byte transfers. */
    private static void frame(VirtualDbiPanel p, int rgb565) {
        cmd(p, 0x2A, 0, 0, 0, 239);
        cmd(p, 0x2B, 0, 0, 1, 0x3F);
        p.write(false, new byte[] {0x2C}, 0, 1, 10_000_000);
        byte[] chunk = new byte[4096];
        for (int i = 0; i < chunk.length; i += 2) {
            chunk[i] = (byte) (rgb565 >> 8);
            chunk[i + 1] = (byte) rgb565;
        }
        for (int left = 240 * 320 * 2; left > 0; left -= chunk.length) {
            p.write(true, chunk, 0, Math.min(left, chunk.length), HZ);
        }
        cmd(p, 0x00); // NOP ends the memory write
    }

    private static VirtualDbiPanel timed() {
        VirtualDbiPanel p = awake(DbiModel.mi0283qt(), 0x55);
        cmd(p, 0x36, 0x00);
        cmd(p, 0x35, 0x00);
        p.setWireTiming(true);
        return p;
    }

    @Test
    void aFrameRacingTheScanTearsAndOneTrailingTheScanDoesNot() {
        VirtualDbiPanel p = timed();
        long line = p.refreshPeriodNanos() / 324;
        // start on the TE edge, as a naive host does: the write (61 us a line) is ahead of the scan (44 us a
        // line) only until the scan catches it up a few lines down; above new, below old
        long rise = p.nextTeEdge(true, p.nanoTime());
        p.elapse(rise - p.nanoTime());
        frame(p, 0xFFFF);
        assertTrue(p.tornFrameCount() > 0, "a frame started on the edge is caught up by the scan");
        TornFrame t = p.tornFrames().get(0);
        assertTrue(t.newLines() + t.splitLines() > 0 && t.oldLines() + t.splitLines() > 0, t.toString());
        assertEquals(1, p.writesJudged());

        p.clearTornFrames();
        long fall = p.nextTeEdge(false, p.nanoTime());
        p.elapse(fall - p.nanoTime() + 2 * line); // right behind the scan: it reads line 0 just before we write it
        frame(p, 0x0000);
        assertEquals(0, p.tornFrameCount(), "trailing the scan: " + p.tornFrames());
        assertEquals(2, p.writesJudged());

        p.clearTornFrames();
        fall = p.nextTeEdge(false, p.nanoTime());
        p.elapse(fall - p.nanoTime() + 2 * line);
        frame(p, 0x0000); // the same picture again: nothing changes, nothing to judge
        assertEquals(2, p.writesJudged());
        assertEquals(0, p.tornFrameCount());
        p.assertNoViolations();
    }

    @Test
    void theMlBitTurnsTheScanSoABottomUpWriteCanTrailIt() {
        VirtualDbiPanel p = timed();
        cmd(p, 0x36, 0x80); // MY: logical row 0 is the bottom line, the write runs upwards
        long line = p.refreshPeriodNanos() / 324;
        long fall = p.nextTeEdge(false, p.nanoTime());
        p.elapse(fall - p.nanoTime() + 2 * line);
        frame(p, 0xFFFF);
        assertTrue(p.tornFrameCount() > 0, "against a top-to-bottom scan the write tears");
        p.clearTornFrames();
        cmd(p, 0x36, 0x80 | 0x10); // ML: the refresh runs bottom to top too
        fall = p.nextTeEdge(false, p.nanoTime());
        p.elapse(fall - p.nanoTime() + 2 * line);
        frame(p, 0x0000);
        assertEquals(0, p.tornFrameCount(), p.tornFrames().toString());
        p.assertNoViolations();
    }

    @Test
    void tornFramesAreCountedAllButKeptOnlyTheLast64() {
        VirtualDbiPanel p = timed();
        for (int i = 0; i < 70; i++) {
            long rise = p.nextTeEdge(true, p.nanoTime());
            p.elapse(rise - p.nanoTime());
            frame(p, (i & 1) == 0 ? 0xFFFF : 0x0000);
        }
        assertTrue(p.tornFrameCount() >= 70, "count " + p.tornFrameCount());
        List<TornFrame> kept = p.tornFrames();
        assertEquals(64, kept.size());
        assertEquals(70, kept.get(63).write(), "the newest are kept");
        p.clearTornFrames();
        assertEquals(0, p.tornFrameCount());
        assertTrue(p.tornFrames().isEmpty());
    }

    @Test
    void anUntimedWireJudgesNothingAndItsClockIsTheWallClock() {
        VirtualDbiPanel p = awake(DbiModel.mi0283qt(), 0x55);
        frame(p, 0xFFFF);
        assertEquals(0, p.writesJudged());
        assertEquals(0, p.tornFrameCount());
        assertTrue(Arrays.asList(p.tornFrames().toArray()).isEmpty());
        assertFalse(p.isWireTimed());
    }
}
