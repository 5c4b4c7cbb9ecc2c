package org.paneld.drivers.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.repaper.RepaperClock;
import org.paneld.drivers.repaper.RepaperCog;
import org.paneld.drivers.repaper.RepaperPanel;

/**
 * Issue 10: a virtual panel serving for weeks keeps a bounded history. What a long run adds per
 * frame (the repaper's power-session events) or per driver slip (violations) stays within a
 * fixed number of entries.
 */
class EmulatorLogBoundsTest {

    @Test
    void repaperEventsKeepTheLatestPowerSessionsOnly() throws Exception {
        VirtualRepaper v = new VirtualRepaper(RepaperFilm.E1144CS021, true, 0, 8_000_000);
        VirtualRepaper.Connection c = v.connect(new UnplugGuard("epd"));
        RepaperClock clock = new RepaperClock() {
            @Override
            public long nanoTime() {
                return v.nanos();
            }

            @Override
            public org.paneld.drivers.spi.Sleeper sleeper() {
                return v.sleeper();
            }
        };
        RepaperCog cog = new RepaperCog(RepaperPanel.E1144CS021, true, c.spi(), c.panelOn(), c.discharge(), c.reset(), null, c.busy(), clock);
        for (int i = 0; i < 3_000; i++) {
            cog.powerOn();
            cog.powerOff();
        }
        List<String> events = v.events();
        assertEquals(1024, events.size(), "events grew per power session");
        assertEquals("power session without drives", events.get(events.size() - 1));
        c.close();
    }

    @Test
    void st7586ViolationsKeepTheFirstOnesAndTheCommandLogStaysBounded() throws Exception {
        VirtualSt7586 v = new VirtualSt7586(0);
        VirtualSt7586.Connection c = v.connect(new UnplugGuard("lcd"));
        c.reset().set(true);
        c.dc().set(false); // command mode
        byte[] unknown = new byte[1000];
        java.util.Arrays.fill(unknown, (byte) 0xFF);
        for (int i = 0; i < 20; i++) {
            c.spi().write(unknown, 0, unknown.length);
        }
        List<String> violations = v.violations();
        assertEquals(1024, violations.size(), "violations grew per command");
        assertTrue(violations.get(0).contains("unknown command 0xff"), violations.get(0));
        assertTrue(v.commandLog().size() <= 10_000, "command log: " + v.commandLog().size());
        c.close();
    }
}
