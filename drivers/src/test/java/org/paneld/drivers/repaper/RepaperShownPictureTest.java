package org.paneld.drivers.repaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.testkit.PixelOracle;
import org.paneld.drivers.virtual.VirtualRepaper;

/**
 * The live view's picture of a real repaper e-paper panel ({@link Device#shownPicture()}: the
 * frame the last finished refresh drew) against the emulated film's own decoding of the lines
 * on the wire: equal pixel for pixel after whole and partial flushes (four-stage and G2 partial
 * updates), at every rotation; none before the first refresh has finished, and the previous
 * picture while a later refresh runs.
 */
class RepaperShownPictureTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new RepaperDriver());

    @ParameterizedTest(name = "{0} rotation {1} {2} {3} partial={4}")
    @CsvSource({
        "e1144cs021, 0, threshold, XRGB8888, true",
        "e1144cs021, 90, floyd-steinberg, XRGB8888, false",
        "e2200cs021, 180, ordered, RGB565, true",
        "e1190cs021, 270, threshold, R8, true",
    })
    void theLastRefreshIsWhatTheFilmShows(String panel, int rotation, String dither, String format, boolean partial)
            throws Exception {
        kit.addVirtual("epd", "repaper", "panel", panel, "rotation", rotation, "dither", dither, "partial", partial);
        Device d = kit.bind("epd").device();
        VirtualRepaper v = kit.hardware("epd", VirtualRepaper.class);
        assertNull(d.shownPicture(), "no picture before the first flush");
        int w = d.info().width(), h = d.info().height();
        Framebuffer fb = TestImages.picture(w, h, PixelFormat.parse(format), 1);
        d.flush(fb, fb.bounds());
        ((RepaperDisplay) d.display()).awaitIdle();
        assertSame(v.snapshot(), d.shownPicture(), "after the first refresh");
        Rect r = new Rect(5, 7, w / 3, h / 4); // a small change: a G2 partial update where allowed
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                PixelOracle.put(fb, x, y, (x / 4 + y / 4) % 2 == 0 ? 0x000000 : 0xFFFFFF);
            }
        }
        d.flush(fb, List.of(r));
        ((RepaperDisplay) d.display()).awaitIdle();
        assertEquals(partial ? 1 : 0, v.partialUpdates());
        assertSame(v.snapshot(), d.shownPicture(), "after a partial flush");
        assertEquals(List.of(), v.violations());
    }

    @Test
    void aRefreshInProgressIsNotShownUntilItFinishes() throws Exception {
        kit.addVirtual("epd", "repaper", "panel", "e1144cs021", "dither", "threshold", "partial", false);
        Device d = kit.bind("epd").device();
        VirtualRepaper v = kit.hardware("epd", VirtualRepaper.class);
        RepaperDisplay display = (RepaperDisplay) d.display();
        Framebuffer first = TestImages.picture(128, 96, PixelFormat.XRGB8888, 3);
        Framebuffer second = TestImages.picture(128, 96, PixelFormat.XRGB8888, 8);
        hold(v, () -> d.flush(first, first.bounds()), () -> assertNull(d.shownPicture(), "the first refresh runs"));
        display.awaitIdle();
        RgbImage firstOnFilm = v.snapshot();
        assertSame(firstOnFilm, d.shownPicture(), "after the first refresh");
        hold(v, () -> d.flush(second, second.bounds()),
                () -> assertSame(firstOnFilm, d.shownPicture(), "the second refresh runs: the film's last finished picture"));
        display.awaitIdle();
        assertSame(v.snapshot(), d.shownPicture(), "after the second refresh");
        assertNotNull(firstOnFilm.firstDifference(d.shownPicture()), "the two pictures differ (else this test means nothing)");
        assertEquals(List.of(), v.violations());
    }

    interface Step {
        void run() throws Exception;
    }

    /** Runs {@code start}, holds the refresh it starts at a line inside its first stage while {@code check} runs. */
    private static void hold(VirtualRepaper v, Step start, Step check) throws Exception {
        CountDownLatch blocked = new CountDownLatch(1), go = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        v.setLineHook(n -> {
            if (once.compareAndSet(false, true)) {
                blocked.countDown();
                RepaperDriverTest.await(go);
            }
        });
        try {
            start.run();
            assertTrue(blocked.await(10, TimeUnit.SECONDS), "the refresh reached its first line");
            check.run();
        } finally {
            go.countDown();
            v.setLineHook(null);
        }
    }

    private static void assertSame(RgbImage film, RgbImage shown, String when) {
        assertNotNull(shown, when + ": no picture");
        assertNull(film.firstDifference(shown), when);
    }
}
