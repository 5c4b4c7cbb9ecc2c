package org.paneld.drivers.virtual;

import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.RgbImage;

/**
 * The emulated hardware behind the {@code virtual-fb} driver: a plain 24-bit framebuffer "panel"
 * with a power switch and a backlight. It plays a physical panel, so it outlives bindings and
 * keeps its pixels across unplug/replug. Counts what it received so tests can see that nothing
 * reached it after unplug. Threads: any (synchronised).
 */
public final class VirtualFb implements VirtualHardware {
    private final RgbImage image;
    private boolean on;
    private int backlight = 100;
    private long writes;
    private boolean connected;

    public VirtualFb(int width, int height) {
        this.image = RgbImage.blank(width, height);
    }

    public int width() {
        return image.width();
    }

    public int height() {
        return image.height();
    }

    synchronized void connect() {
        if (connected) {
            throw new IllegalStateException("virtual-fb is already connected to a driver");
        }
        connected = true;
    }

    synchronized void disconnect() {
        connected = false;
    }

    /** True while a driver holds the (virtual) bus connection. */
    public synchronized boolean isConnected() {
        return connected;
    }

    synchronized void write(int x, int y, int rgb) {
        requireConnected();
        image.set(x, y, rgb);
    }

    /** Copies {@code damage} of {@code source} into the panel and counts one flush, under one lock. */
    synchronized void writeRect(org.paneld.drivers.pixel.Framebuffer source, org.paneld.drivers.pixel.Rect damage) {
        requireConnected();
        int w = image.width();
        int[] px = image.rgb();
        boolean xrgb = source.format() == org.paneld.drivers.pixel.PixelFormat.XRGB8888;
        java.nio.ByteBuffer b = source.pixels();
        for (int y = damage.y(); y < damage.bottom(); y++) {
            int row = y * w;
            if (xrgb) {
                int o = source.offset(damage.x(), y);
                for (int x = damage.x(); x < damage.right(); x++, o += 4) {
                    px[row + x] = b.getInt(o) & 0xFFFFFF;
                }
            } else {
                for (int x = damage.x(); x < damage.right(); x++) {
                    px[row + x] = source.rgb(x, y);
                }
            }
        }
        writes++;
    }

    synchronized void countWrite() {
        requireConnected();
        writes++;
    }

    synchronized void setOn(boolean on) {
        requireConnected();
        this.on = on;
    }

    synchronized void setBacklight(int percent) {
        requireConnected();
        this.backlight = percent;
    }

    private void requireConnected() {
        if (!connected) {
            throw new IllegalStateException("virtual-fb written while no driver is connected (after unbind?)");
        }
    }

    public synchronized boolean isOn() {
        return on;
    }

    public synchronized int backlight() {
        return backlight;
    }

    /** Number of flushes received. */
    public synchronized long writes() {
        return writes;
    }

    /** The framebuffer's content regardless of power state. */
    public synchronized RgbImage content() {
        return image.copy();
    }

    @Override
    public synchronized RgbImage snapshot() {
        if (!on || backlight == 0) {
            return RgbImage.blank(image.width(), image.height());
        }
        return image.copy();
    }

    @Override
    public synchronized String describe() {
        return "virtual-fb " + image.width() + "x" + image.height() + (on ? " on" : " off") + ", " + writes + " flushes";
    }
}
