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
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualGudDevice;
import org.paneld.drivers.virtual.VirtualGudFormat;

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

    /**
     * What a panel fed {@code f} shows for the client pixel 0xRRGGBB: the kernel's conversions
     * (drm_format_internal.h / drm_format_helper.c, gud_pipe.c), written out here from those
     * formulas and never taken from the driver's converter; channels of fewer than 8 bits shown
     * expanded by bit replication.
     */
    static int shown(VirtualGudFormat f, int rgb) {
        int r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
        switch (f) {
            case XRGB8888:
            case ARGB8888:
            case RGB888:
                return rgb & 0xFFFFFF;
            case RGB565: // drm_pixel_xrgb8888_to_rgb565: r >> 3, g >> 2, b >> 3
                return rep(r >> 3, 5) << 16 | rep(g >> 2, 6) << 8 | rep(b >> 3, 5);
            case RGB332: // drm_pixel_xrgb8888_to_rgb332: (pix & 0xe00000) >> 16 | (pix & 0xe000) >> 11 | (pix & 0xc0) >> 6
                return rep(r >> 5, 3) << 16 | rep(g >> 5, 3) << 8 | rep(b >> 6, 2);
            case R8: { // drm_pixel_xrgb8888_to_r8_bt601 (since mid-2025)
                int y = grey(r, g, b);
                return y << 16 | y << 8 | y;
            }
            case R1: // gud_xrgb8888_to_r124: the grey's top bit
                return grey(r, g, b) >> 7 != 0 ? 0xFFFFFF : 0;
            case XRGB1111: // gud_xrgb8888_to_color: each channel's top bit
                return (r >> 7) * 0xFF0000 | (g >> 7) * 0xFF00 | (b >> 7) * 0xFF;
            default:
                throw new AssertionError(f);
        }
    }

    /** Pixels a byte holds (R1 8, XRGB1111 2): GUD rectangles start on a byte, so x is aligned down to it. */
    static int pixelsPerByte(VirtualGudFormat f) {
        return f == VirtualGudFormat.R1 ? 8 : f == VirtualGudFormat.XRGB1111 ? 2 : 1;
    }

    /** BT.601 luma normalised to 256, as current kernels: (77 r + 150 g + 29 b) / 256. */
    static int grey(int r, int g, int b) {
        return (77 * r + 150 * g + 29 * b) / 256;
    }

    /** An n-bit channel widened to 8 bits by repeating its bits. */
    static int rep(int v, int n) {
        switch (n) {
            case 2: return v * 0x55;
            case 3: return v << 5 | v << 2 | v >> 1;
            case 5: return v << 3 | v >> 2;
            case 6: return v << 2 | v >> 4;
            default: throw new AssertionError(n);
        }
    }

    /**
     * The client's pixel at {@code x, y} read from its bytes (XRGB8888 a little-endian word,
     * RGB565 a little-endian word widened as drm_pixel_rgb565_to_xrgb8888 does), not through the
     * framebuffer's own conversion.
     */
    static int source(Framebuffer fb, int x, int y) {
        int o = fb.offset(x, y);
        switch (fb.format()) {
            case XRGB8888:
                return (fb.pixels().get(o) & 0xFF) | (fb.pixels().get(o + 1) & 0xFF) << 8
                        | (fb.pixels().get(o + 2) & 0xFF) << 16;
            case RGB565: {
                int v = (fb.pixels().get(o) & 0xFF) | (fb.pixels().get(o + 1) & 0xFF) << 8;
                return rep(v >> 11, 5) << 16 | rep(v >> 5 & 0x3F, 6) << 8 | rep(v & 0x1F, 5);
            }
            default:
                throw new AssertionError(fb.format());
        }
    }

    /** The expected panel image: {@code fb} as shown through {@code f}. */
    static RgbImage expected(Framebuffer fb, VirtualGudFormat f) {
        RgbImage img = RgbImage.blank(fb.width(), fb.height());
        for (int y = 0; y < fb.height(); y++) {
            for (int x = 0; x < fb.width(); x++) {
                img.set(x, y, shown(f, source(fb, x, y)));
            }
        }
        return img;
    }
}
