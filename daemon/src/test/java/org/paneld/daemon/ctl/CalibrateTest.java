package org.paneld.daemon.ctl;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.PaneldClient;
import org.paneld.daemon.server.AdminService;
import org.paneld.daemon.server.PaneldServer;
import org.paneld.daemon.server.ServerOptions;
import org.paneld.drivers.display.TouchCalibration;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFb;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.drivers.virtual.VirtualFbTouch;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Touch;

/**
 * {@code panelctl calibrate}: the fit from collected touches (noisy contacts, 3 and 5 points, a
 * rotated and mirrored controller), and the whole run against an in-process paneld whose
 * virtual-fb touch starts badly calibrated: crosshairs on the panel, the touches collected, the
 * printed line, and the calibration applied so that the next tap lands where it was made.
 */
class CalibrateTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver());

    private static Touch raw(int kind, int rx, int ry) {
        return new Touch(1, kind, 0, 0, 0, rx, ry, 255, 0, 0);
    }

    /** A controller whose raw axes are swapped and mirrored against the display, as on many boards. */
    private static int[] rawOf(int x, int y) {
        return new int[] {3900 - 15 * y, 200 + 11 * x};
    }

    @Test
    void fitsNoisyContactsAtTheFiveTargetsWithinAPixel() {
        Random rnd = new Random(7);
        List<int[]> targets = Calibrate.targets(320, 240, 5);
        assertArrayEquals(new int[] {40, 30}, targets.get(0));
        assertArrayEquals(new int[] {279, 30}, targets.get(1));
        assertArrayEquals(new int[] {279, 209}, targets.get(2));
        assertArrayEquals(new int[] {40, 209}, targets.get(3));
        assertArrayEquals(new int[] {160, 120}, targets.get(4));
        List<int[]> raws = new ArrayList<>();
        for (int[] t : targets) {
            int[] r = rawOf(t[0], t[1]);
            List<Touch> contact = new ArrayList<>();
            contact.add(raw(Message.TOUCH_DOWN, r[0] + 400, r[1] - 300)); // an outlier at pen-down
            for (int i = 0; i < 8; i++) {
                contact.add(raw(Message.TOUCH_MOVE, r[0] + rnd.nextInt(9) - 4, r[1] + rnd.nextInt(9) - 4));
            }
            contact.add(raw(Message.TOUCH_UP, r[0], r[1]));
            raws.add(Calibrate.raw(contact));
        }
        TouchCalibration c = Calibrate.fit(targets, raws);
        assertTrue(Calibrate.worstError(c, targets, raws) <= 1.0, "error " + Calibrate.worstError(c, targets, raws));
        for (int[] p : new int[][] {{0, 0}, {319, 239}, {100, 200}}) {
            int[] r = rawOf(p[0], p[1]);
            assertEquals(p[0], c.x(r[0], r[1]), 1.0);
            assertEquals(p[1], c.y(r[0], r[1]), 1.0);
        }
        assertTrue(Calibrate.configLine(c).matches("calibration = \\[-?\\d+, -?\\d+, -?\\d+, -?\\d+, -?\\d+, -?\\d+, 65536\\]"),
                Calibrate.configLine(c));
        assertEquals(c, TouchCalibration.of(c.toArray()), "the printed numbers are the calibration");
    }

    @Test
    void threePointsAreExactAndPointsInARowAreRefused() {
        List<int[]> targets = Calibrate.targets(64, 48, 3);
        List<int[]> raws = new ArrayList<>();
        for (int[] t : targets) {
            raws.add(rawOf(t[0], t[1]));
        }
        assertTrue(Calibrate.worstError(Calibrate.fit(targets, raws), targets, raws) <= 0.5);
        List<int[]> row = List.of(new int[] {100, 100}, new int[] {200, 100}, new int[] {300, 100});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibrate.fit(targets, row));
        assertTrue(e.getMessage().contains("on one line"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Calibrate.targets(64, 48, 4));
        assertEquals(2, PanelCtl.run("--socket", "/nonexistent/paneld.sock", "calibrate", "lcd0", "--points", "4"),
                "a bad --points is a usage error, found before connecting");
    }

    @Test
    void aRunDrawsCrosshairsCollectsTouchesAndAppliesTheFit() throws Exception {
        kit.addVirtual("tp0", "virtual-fb", "width", 64, "height", 48, "touch.driver", "virtual-fb");
        kit.bind("tp0");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "paneld-cal-");
        Path socket = dir.resolve("paneld.sock");
        PaneldServer server = new PaneldServer(ServerOptions.defaults().withSocketPath(socket), kit.bus(), AdminService.unsupported());
        server.start();
        try (PaneldClient cal = PaneldClient.connect(socket); PaneldClient finger = PaneldClient.connect(socket)) {
            cal.setTimeout(10_000);
            finger.setTimeout(10_000);
            finger.calibrate("tp0", new long[] {1, 0, 0, 0, 1, 0, 1}); // way off: raw values as pixels
            VirtualFb fb = kit.hardware("tp0", VirtualFb.class);
            List<int[]> shown = new ArrayList<>();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            TouchCalibration got = Calibrate.run(cal, "tp0", 5, 10_000, new PrintWriter(out), new PrintWriter(err), (i, n, x, y) -> {
                assertEquals(0xFFFFFF, fb.content().get(x, y), "the crosshair is on the panel at the target");
                assertEquals(0, fb.content().get(x + 2, y + 2));
                shown.add(new int[] {x, y});
                try {
                    finger.touchPress("tp0", x + 1, y); // a little wobble: the median is the target
                    finger.touchPress("tp0", x - 1, y + 1);
                    finger.touchPress("tp0", x, y);
                    finger.touchRelease("tp0");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(5, shown.size());
            assertEquals(Calibrate.configLine(got) + System.lineSeparator(), out.toString());
            assertTrue(err.toString().contains("applied to tp0"), err.toString());
            // the fit inverts the virtual touch's raw range, and the daemon uses it now
            int rx = VirtualFbTouch.rawX(33);
            int ry = VirtualFbTouch.rawY(17);
            assertEquals(33, got.x(rx, ry), 1.0);
            assertEquals(17, got.y(rx, ry), 1.0);
            try (TouchWatch w = TouchWatch.open(finger, "tp0", false)) {
                finger.touchPress("tp0", 33, 17);
                Touch t = w.await(Message.TOUCH_DOWN, 5000, x -> { });
                assertEquals(33, t.x(), 1.0);
                assertEquals(17, t.y(), 1.0);
                finger.touchRelease("tp0");
            }
        } finally {
            server.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }
}
