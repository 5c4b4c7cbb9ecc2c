package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.spi.EdgeInput;

/**
 * TearingSync's write order without a panel: windows go in the order the scan meets their lines,
 * which depends on MV, MY and whether ML may turn the refresh.
 */
class TearingSyncTest {
    private static final EdgeInput SILENT = new EdgeInput() {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public long awaitEdge(boolean rising, long after, long timeoutNanos) {
            return NO_EDGE;
        }

        @Override
        public boolean isHigh() {
            return false;
        }

        @Override
        public String describe() {
            return "silent";
        }
    };

    private static TearingSync sync(int madctl, boolean ml) {
        return new TearingSync(SILENT, us -> { }, "lcd0", 0, 0, 320, 240, madctl, ml, (madctl & 0x20) != 0 ? 320 : 240,
                2, 62_500_000);
    }

    /** A square wave on a clock of its own: high for {@code high} ns every {@code period} ns. */
    private static final class Wave implements EdgeInput {
        final long period, high;
        long now = 1_000_000_000L;

        Wave(long period, long high) {
            this.period = period;
            this.high = high;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public long awaitEdge(boolean rising, long after, long timeoutNanos) {
            long k = Math.floorDiv(after, period);
            long e = k * period + (rising ? 0 : high);
            while (e <= after) {
                e += period;
            }
            if (e - now > timeoutNanos) {
                now += timeoutNanos;
                return NO_EDGE;
            }
            now = Math.max(now, e);
            return e;
        }

        @Override
        public boolean isHigh() {
            return Math.floorMod(now, period) < high;
        }

        @Override
        public String describe() {
            return "wave";
        }
    }

    private static TearingSync on(Wave w) {
        return new TearingSync(w, us -> w.now += us * 1000, "lcd0", 0, 0, 240, 320, 0x00, true, 320, 2, 62_500_000);
    }

    @Test
    void theScanIsLearntFromTheEdgesAndNoiseIsNoTeSignal() throws Exception {
        Wave tv = new Wave(16_666_667, 400_000);
        TearingSync sync = on(tv);
        sync.beforeWindow(0, 239, 0, 319);
        assertEquals(16_666_667, sync.periodNanos());
        assertEquals(0, sync.timeouts());
        assertEquals(1, sync.synced());
        long phase = Math.floorMod(tv.now, tv.period);
        assertTrue(phase > tv.high && phase < tv.period / 4, "a full frame starts right behind the scan: " + phase);

        Wave noise = new Wave(1_000_000, 300_000); // 1 kHz: a floating pin or the wrong line
        TearingSync confused = on(noise);
        long t0 = noise.now;
        confused.beforeWindow(0, 239, 0, 319);
        assertEquals(1, confused.timeouts());
        assertEquals(0, confused.periodNanos());
        assertEquals(0, confused.synced());
        assertTrue(noise.now - t0 < 10_000_000, "no long wait on noise: " + (noise.now - t0));
    }

    @Test
    void windowsGoInTheOrderTheScanMeetsThem() {
        Rect a = new Rect(0, 0, 10, 10), b = new Rect(100, 50, 10, 10), c = new Rect(200, 120, 10, 10);
        List<Rect> mixed = List.of(b, c, a);
        // no MV, no MY: rows are scan lines, top first
        assertEquals(List.of(a, b, c), sync(0x00, true).order(mixed));
        // MY with ML: the refresh runs bottom to top like the rows, so logical top first still
        assertEquals(List.of(a, b, c), sync(0x80, true).order(mixed));
        // MY without ML: the scan meets the logical bottom first
        assertEquals(List.of(c, b, a), sync(0x80, false).order(mixed));
        // MV|MY|MX (mi0283qt at 0°) without ML: columns are scan lines, the rightmost first
        assertEquals(List.of(c, b, a), sync(0xE0, false).order(mixed));
        assertEquals(List.of(a, b, c), sync(0xE0, true).order(mixed));
        assertEquals(List.of(b, c, a), mixed, "the input is not changed");
    }
}
