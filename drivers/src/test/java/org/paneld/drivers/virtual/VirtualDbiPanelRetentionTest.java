package org.paneld.drivers.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A virtual panel is long-lived (the daemon's default configuration): what it retains must not
 * grow per flush (issue 10 item 1: 258,600 1x1 flushes used to kill a 48 MB daemon).
 */
class VirtualDbiPanelRetentionTest {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final int FLUSHES = 1_000_000;

    private static final byte[] CMD_CASET = {0x2A}, CMD_RASET = {0x2B}, CMD_RAMWR = {0x2C};
    private static final byte[] WINDOW = {0, 5, 0, 5};
    private static final byte[] PIXEL = {(byte) 0xF8, 0x00};

    static VirtualDbiPanel awake() {
        VirtualDbiPanel p = new VirtualDbiPanel(DbiModel.mi0283qt());
        p.setReset(true);
        p.setReset(false);
        p.elapse(120 * MS);
        p.write(false, new byte[] {0x3A}, 0, 1);
        p.write(true, new byte[] {0x55}, 0, 1);
        p.write(false, new byte[] {0x11}, 0, 1);
        p.elapse(120 * MS);
        p.write(false, new byte[] {0x29}, 0, 1);
        p.assertNoViolations();
        return p;
    }

    /** One 1x1 flush as a driver sends it: CASET, RASET, RAMWR, one pixel. */
    static void flush(VirtualDbiPanel p) {
        p.write(false, CMD_CASET, 0, 1);
        p.write(true, WINDOW, 0, 4);
        p.write(false, CMD_RASET, 0, 1);
        p.write(true, WINDOW, 0, 4);
        p.write(false, CMD_RAMWR, 0, 1);
        p.write(true, PIXEL, 0, 2);
    }

    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void aMillionFlushesRetainABoundedLogAndHeap() {
        VirtualDbiPanel p = awake();
        for (int i = 0; i < 10_000; i++) {
            flush(p);
        }
        long before = heapAfterGc();
        for (int i = 10_000; i < FLUSHES; i++) {
            flush(p);
        }
        long after = heapAfterGc();
        p.assertNoViolations();
        List<DbiCommand> log = p.commandLog();
        assertEquals(p.commandLogCapacity() + 1, log.size(), "the ring of its capacity plus the RAMWR in progress");
        // reset + COLMOD + SLPOUT + DISPON + 3 per flush, the last RAMWR still in progress
        long ended = 4 + 3L * FLUSHES - 1;
        assertEquals(ended - p.commandLogCapacity(), p.commandsDropped());
        assertEquals(DbiCommand.memoryWrite(0x2C, 2), log.get(log.size() - 1));
        assertEquals(DbiCommand.of(0x2B, 0, 5, 0, 5), log.get(log.size() - 2));
        assertEquals(0xFF0000, p.gram().get(5, 5));
        long growth = after - before;
        assertTrue(growth < 4L << 20, "heap grew by " + growth / 1024 + " KiB over " + (FLUSHES - 10_000)
                + " flushes (the old unbounded log grew ~150 MB)");
    }

    @Test
    void aMillionViolationsKeepTheFirstTwoHundredAndACount() {
        VirtualDbiPanel p = awake();
        byte[] stray = {0x00};
        for (int i = 0; i < FLUSHES; i++) {
            p.write(false, new byte[] {0x29}, 0, 1);
            p.write(true, stray, 0, 1); // DISPON takes no parameters
        }
        List<String> v = p.violations();
        assertEquals(201, v.size());
        assertEquals("... and " + (FLUSHES - 200) + " more", v.get(200));
        assertTrue(v.get(0).contains("after command 0x29, which takes none"), v.get(0));
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, p::assertNoViolations);
        assertTrue(e.getMessage().startsWith("mi0283qt: " + FLUSHES + " protocol violation(s)"), e.getMessage());
    }

    @Test
    void theLogKeepsAtMost64KiBOfParameters() {
        VirtualDbiPanel p = awake();
        byte[] params = new byte[4000];
        for (int i = 0; i < 100; i++) {
            p.write(false, new byte[] {(byte) 0xE0}, 0, 1); // a vendor command with a long (odd) table
            p.write(true, params, 0, params.length);
        }
        p.write(false, new byte[] {0x00}, 0, 1);
        int bytes = 0;
        for (DbiCommand c : p.commandLog()) {
            bytes += c.params().length;
        }
        assertTrue(bytes <= 64 * 1024, bytes + " parameter bytes kept");
        assertTrue(p.commandsDropped() > 0);
        assertEquals(DbiCommand.of(0x00), p.commandLog().get(p.commandLog().size() - 1));
    }

    @Test
    void theCapacityCanBeRaisedForATestThatReadsALongStream() {
        VirtualDbiPanel p = awake();
        p.setCommandLogCapacity(5000);
        for (int i = 0; i < 1000; i++) {
            flush(p);
        }
        assertEquals(4 + 3000, p.commandLog().size()); // the last RAMWR counted as in progress
        assertEquals(0, p.commandsDropped());
        assertEquals(DbiCommand.reset(), p.commandLog().get(0));
        p.clearCommandLog();
        assertEquals(List.of(), p.commandLog());
    }
}
