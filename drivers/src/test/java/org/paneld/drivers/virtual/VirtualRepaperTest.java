package org.paneld.drivers.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.repaper.RepaperClock;
import org.paneld.drivers.repaper.RepaperCog;
import org.paneld.drivers.repaper.RepaperPanel;
import org.paneld.drivers.repaper.RepaperStage;

/** The ghosting detector: stage sequences a real panel would show badly are flagged, good ones are not. */
class VirtualRepaperTest {
    private static final RepaperPanel P = RepaperPanel.E1144CS021;

    private static byte[] image(int seed) {
        byte[] b = new byte[P.width() / 8 * P.height()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + seed * 77 ^ i >> 3);
        }
        return b;
    }

    private static final class Rig {
        final VirtualRepaper v;
        final VirtualRepaper.Connection c;
        final RepaperCog cog;

        Rig(boolean g2) {
            v = new VirtualRepaper(RepaperFilm.E1144CS021, g2, 0, 8_000_000);
            c = v.connect(new UnplugGuard("epd"));
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
            cog = new RepaperCog(P, g2, c.spi(), c.panelOn(), c.discharge(), c.reset(), null, c.busy(), clock);
        }

        /** One power session running {@code stages} (image per stage: "old" or "new"). */
        void session(byte[] old, byte[] nu, String... stages) throws Exception {
            cog.powerOn();
            for (String s : stages) {
                long t = P.stageTimeMs();
                switch (s) {
                    case "compensate": cog.repeat(old, 0, null, RepaperStage.COMPENSATE, t); break;
                    case "white": cog.repeat(old, 0, null, RepaperStage.WHITE, t); break;
                    case "inverse": cog.repeat(nu, 0, null, RepaperStage.INVERSE, t); break;
                    case "normal": cog.repeat(nu, 0, null, RepaperStage.NORMAL, t); break;
                    case "partial": cog.repeat(nu, 0, old, RepaperStage.NORMAL, t); break;
                    case "short-normal": cog.frame(nu, 0, null, RepaperStage.NORMAL); break;
                    default: throw new IllegalArgumentException(s);
                }
            }
            cog.powerOff();
        }
    }

    @Test
    void theFourStagesAreClean() throws Exception {
        byte[] a = image(1), b = image(2);
        Rig r2 = new Rig(true);
        r2.session(a, a, "compensate", "white", "inverse", "normal");
        r2.session(a, b, "compensate", "white", "inverse", "normal");
        assertEquals(List.of(), r2.v.violations());
        assertEquals(2, r2.v.fullUpdates());
        r2.session(b, image(3), "partial");
        assertEquals(List.of(), r2.v.violations(), "a partial update on G2 after a full one is fine");
        assertEquals(1, r2.v.partialUpdates());
    }

    @Test
    void skippingTheInverseStageIsFlagged() throws Exception {
        Rig r = new Rig(true);
        byte[] a = image(1), b = image(2);
        r.session(a, a, "compensate", "white", "inverse", "normal");
        r.session(a, b, "compensate", "white", "normal");
        assertEquals(1, r.v.violations().size(), r.v.violations().toString());
        assertTrue(r.v.violations().get(0).startsWith("ghosting"));
    }

    @Test
    void normalWithoutWhiteIsFlagged() throws Exception {
        Rig r = new Rig(true);
        byte[] a = image(1), b = image(2);
        r.session(a, a, "compensate", "white", "inverse", "normal");
        r.session(a, b, "compensate", "normal");
        assertTrue(r.v.violations().stream().anyMatch(s -> s.startsWith("ghosting")), r.v.violations().toString());
    }

    @Test
    void normalAloneIsFlagged() throws Exception {
        Rig r = new Rig(true);
        r.session(image(1), image(2), "normal");
        assertTrue(r.v.violations().stream().anyMatch(s -> s.startsWith("ghosting")), r.v.violations().toString());
    }

    @Test
    void aStageShorterThanTheStageTimeIsFlagged() throws Exception {
        Rig r = new Rig(true);
        byte[] a = image(1), b = image(2);
        r.session(a, a, "compensate", "white", "inverse", "normal");
        assertEquals(List.of(), r.v.violations());
        r.session(a, b, "compensate", "white", "inverse", "short-normal");
        assertTrue(r.v.violations().stream().anyMatch(s -> s.startsWith("under-driven stage")), r.v.violations().toString());
    }

    @Test
    void partialUpdatesNeedAG2AndAKnownImage() throws Exception {
        Rig g1 = new Rig(false);
        byte[] a = image(1), b = image(2);
        g1.session(a, a, "compensate", "white", "inverse", "normal");
        g1.session(a, b, "partial");
        assertTrue(g1.v.violations().stream().anyMatch(s -> s.contains("COG G1")), g1.v.violations().toString());
        Rig g2 = new Rig(true);
        g2.session(a, b, "partial");
        assertTrue(g2.v.violations().stream().anyMatch(s -> s.contains("before any full update")), g2.v.violations().toString());
    }

    @Test
    void leftPoweredAtUnbindAndTrafficAfterReleaseAreFlagged() throws Exception {
        Rig r = new Rig(true);
        r.cog.powerOn();
        r.c.close();
        assertTrue(r.v.violations().stream().anyMatch(s -> s.startsWith("left powered at unbind")), r.v.violations().toString());
        try {
            r.cog.writeVal(0x02, 0x40);
        } catch (java.io.IOException expected) {
            // ENODEV
        }
        assertTrue(r.v.violations().stream().anyMatch(s -> s.contains("after the driver's connection was released")));
    }

    @Test
    void aWrongChannelSelectAndLinesWithPumpsOffAreFlagged() throws Exception {
        Rig r = new Rig(true);
        r.c.panelOn().set(true);
        r.cog.writeBuf(0x01, new byte[8], 8);
        r.cog.oneLine(3, image(1), 0, null, RepaperStage.NORMAL);
        List<String> v = r.v.violations();
        assertTrue(v.stream().anyMatch(s -> s.startsWith("channel select")), v.toString());
        assertTrue(v.stream().anyMatch(s -> s.startsWith("line latched with the charge pumps off")), v.toString());
    }
}
