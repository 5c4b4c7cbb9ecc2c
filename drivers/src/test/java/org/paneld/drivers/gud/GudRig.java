package org.paneld.drivers.gud;

import java.time.Duration;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rgb;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualGudDevice;

/**
 * Test helpers: the lifecycle test kit with the GUD driver (its checks run at {@link #close()}:
 * hardware scopes fully released at every unbind, every device released exactly once, nothing
 * alive), virtual devices, test images, expected pixels.
 */
final class GudRig implements AutoCloseable {
    final LifecycleKit kit;
    final LifecycleTracker tracker;
    final Bus bus;
    private boolean closed;

    GudRig() {
        this(Duration.ZERO);
    }

    GudRig(Duration pollInterval) {
        kit = new LifecycleKit(new GudDriver(GudOptions.DEFAULT.withPollInterval(pollInterval)));
        kit.start();
        tracker = kit.tracker();
        bus = kit.bus();
    }

    Binding bind(String name, VirtualGudDevice dev) throws Exception {
        BusDevice bd = new BusDevice(name, "gud", DeviceConfig.of("test " + name, "backend", "virtual"))
                .attach(VirtualHardware.class, dev);
        return bus.addAndBind(bd);
    }

    /** Removes every device and runs the kit's end-of-test checks (once). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            kit.finish();
        }
    }

    /** A deterministic image with gradients, flat areas, hard edges and noise. */
    static Framebuffer pattern(int w, int h, PixelFormat f, int seed) {
        Framebuffer fb = Framebuffer.allocate(w, h, f);
        long s = seed * 0x9E3779B97F4A7C15L + 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb;
                if (y < h / 4) {
                    rgb = (x * 255 / Math.max(1, w - 1)) << 16 | (y * 255 / Math.max(1, h / 4)) << 8 | ((x + y + seed) & 0xFF);
                } else if (y < h / 2) {
                    rgb = ((x / 8 + y / 8 + seed) & 1) == 0 ? 0xFFFFFF : 0x000000;
                } else if (y < 3 * h / 4) {
                    rgb = x < w / 2 ? 0x3366CC : 0xCC3311 + seed;
                } else {
                    s ^= s << 13;
                    s ^= s >>> 7;
                    s ^= s << 17;
                    rgb = (int) s & 0xFFFFFF;
                }
                fb.setRgb(x, y, rgb);
            }
        }
        return fb;
    }

    /** What a panel fed {@code f} shows for 0xRRGGBB, written out independently of the driver's conversion. */
    static int shown(GudFormat f, int rgb) {
        int r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
        switch (f) {
            case XRGB8888:
            case ARGB8888:
            case RGB888:
                return rgb & 0xFFFFFF;
            case RGB565:
                return Rgb.quantize565(rgb);
            case RGB332: {
                int r3 = r >> 5, g3 = g >> 5, b2 = b >> 6;
                return ((r3 * 255 + 3) / 7) << 16 | ((g3 * 255 + 3) / 7) << 8 | (b2 * 85);
            }
            case R8: {
                int y = (3 * r + 6 * g + b) / 10;
                return y << 16 | y << 8 | y;
            }
            case R1:
                return (3 * r + 6 * g + b) / 10 >= 128 ? 0xFFFFFF : 0;
            case XRGB1111:
                return (r >= 128 ? 0xFF0000 : 0) | (g >= 128 ? 0xFF00 : 0) | (b >= 128 ? 0xFF : 0);
            default:
                throw new AssertionError(f);
        }
    }

    /** The expected panel image: {@code fb} as shown through {@code f}. */
    static RgbImage expected(Framebuffer fb, GudFormat f) {
        RgbImage img = RgbImage.blank(fb.width(), fb.height());
        for (int y = 0; y < fb.height(); y++) {
            for (int x = 0; x < fb.width(); x++) {
                img.set(x, y, shown(f, fb.rgb(x, y)));
            }
        }
        return img;
    }
}
