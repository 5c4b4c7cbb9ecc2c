package org.paneld.drivers.bench;

import java.util.Locale;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.mipidbi.Mi0283qtDriver;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.virtual.DbiModel;
import org.paneld.drivers.virtual.VirtualDbiPanel;

/**
 * {@code bench/run te-sync}: what {@code te_gpio} costs and buys, on the emulated mi0283qt with a
 * timed wire (62.5 MHz; ILI9341 at its 70.3 Hz reset refresh). A client flips whole buffers of
 * moving bars back to back (damage sends the bars' changes); for rotation 270 (rows follow the
 * scan) and 0 (MV: written in bands) it prints torn frames and frames per second on the panel's
 * clock, without and with TE, measured in the same run: {@code te-sync: r270_torn_without=…
 * r270_torn_with=… r270_fps_without=… r270_fps_with=… r0_…}; then the same with every other
 * frame inverted, every pixel changed ({@code r270_full_…}, {@code r0_full_…}). Deterministic (logical time), so one run suffices. Test scope.
 */
public final class TearingBenchmark {
    private static final int FRAMES = 120;

    private TearingBenchmark() {
    }

    /**
     * {torn frames, frames per second} for one configuration; with {@code full} every other frame
     * is inverted, so that every pixel changes every frame (no damage to save).
     */
    static double[] run(int rotation, boolean te, boolean full) throws Exception {
        VirtualDbiPanel panel = new VirtualDbiPanel(DbiModel.mi0283qt());
        panel.setWireTiming(true);
        Bus bus = new Bus("bench", new LifecycleTracker());
        try {
            bus.registerDriver(new Mi0283qtDriver());
            DeviceConfig c = DeviceConfig.of("bench", "driver", "mi0283qt", "backend", "virtual", "rotation", rotation,
                    "spi_speed_hz", 62_500_000);
            if (te) {
                c = c.with("te_gpio", 27);
            }
            BusDevice bd = new BusDevice("lcd0", "mi0283qt", c);
            bd.attach(VirtualHardware.class, panel);
            bd.attach(Sleeper.class, us -> { });
            Binding b = bus.addAndBind(bd);
            int w = b.device().info().width(), h = b.device().info().height();
            Framebuffer fb = Framebuffer.allocate(w, h, PixelFormat.XRGB8888);
            long start = 0;
            for (int i = 0; i <= FRAMES; i++) {
                int bx = i * 37 % (w - 16), by = i * 29 % (h - 16);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean on = x >= bx && x < bx + 16 || y >= by && y < by + 16;
                        fb.setRgb(x, y, on ^ (full && i % 2 == 1) ? 0xFFFFFF : 0);
                    }
                }
                b.device().flush(fb, fb.bounds());
                if (i == 0) {
                    start = panel.nanoTime(); // after the first frame (TE learnt, pipeline warm)
                    panel.clearTornFrames();
                }
            }
            double fps = FRAMES * 1e9 / (panel.nanoTime() - start);
            return new double[] {panel.tornFrameCount(), fps};
        } finally {
            bus.close();
        }
    }

    public static void main(String[] args) throws Exception {
        StringBuilder sb = new StringBuilder("te-sync:");
        for (int rotation : new int[] {270, 0}) {
            double[] without = run(rotation, false, false);
            double[] with = run(rotation, true, false);
            sb.append(String.format(Locale.ROOT, " r%d_torn_without=%d r%d_torn_with=%d r%d_fps_without=%.1f"
                            + " r%d_fps_with=%.1f", rotation, (long) without[0], rotation, (long) with[0], rotation,
                    without[1], rotation, with[1]));
        }
        for (int rotation : new int[] {270, 0}) {
            double[] without = run(rotation, false, true);
            double[] with = run(rotation, true, true);
            sb.append(String.format(Locale.ROOT, " r%d_full_torn_without=%d r%d_full_torn_with=%d"
                            + " r%d_full_fps_without=%.1f r%d_full_fps_with=%.1f", rotation, (long) without[0], rotation,
                    (long) with[0], rotation, without[1], rotation, with[1]));
        }
        sb.append(" frames=").append(FRAMES).append(" wire_mhz=62.5 refresh_hz=70.3");
        System.out.println(sb);
    }
}
