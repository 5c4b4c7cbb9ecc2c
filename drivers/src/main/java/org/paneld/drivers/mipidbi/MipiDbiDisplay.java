package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.spi.DbiBus;

/**
 * The display functions of one bound MIPI DBI panel (the kernel's struct mipi_dbi_dev with the
 * drm_mipi_dbi.c pipe helpers).
 *
 * <ul>
 * <li>{@link #enable()}: conditional reset like mipi_dbi_poweron_conditional_reset (where the
 *     driver asks for it and reads are wired: skip the init sequence when the power mode reads
 *     back "display on"), else hardware reset, SWRESET, the wait, the driver's init sequence
 *     and a black frame; then TEON (with {@code te_gpio}) and the backlight.</li>
 * <li>{@link #disable()}: backlight off (or, without a backlight, a black frame), then DISPOFF.</li>
 * <li>{@link #flush}: the damage rectangle becomes CASET/RASET (RAM offsets added) and RAMWR with
 *     the converted pixels, streamed in chunks through the device's transfer thread so that
 *     conversion overlaps the wire; returns when the last chunk is written, with the first
 *     error. With {@code te_gpio}, {@link TearingSync#windows} may cut the rectangle into bands
 *     and {@link TearingSync#beforeWindow} starts each window's write behind the scan; without
 *     it the bytes are exactly as before.</li>
 * <li>Properties "backlight" (0–100; PWM brightness where configured, else on/off) and "power".</li>
 * </ul>
 * Lifetime: made at probe, lives as long as the device object; its bus and transfer thread are in
 * the hardware scope. Threads: the device serialises calls (see {@link Display}).
 */
public class MipiDbiDisplay implements Display {
    private final MipiDbiDriver driver;
    private final PanelConfig cfg;
    private final DbiBus bus;
    private final TransferPipeline pipeline;
    private final WireFormat wire;
    private final int width;
    private final int height;
    private final int left;
    private final int top;
    private final int chunkBytes;
    private final int widthMm;
    private final int heightMm;
    private final byte[] scratch;
    private volatile boolean enabled;
    private volatile boolean initialised;
    private volatile int backlight = 100;
    private volatile org.paneld.drivers.display.TouchInput touch;
    private volatile TearingSync tearing; // set once at probe, before the display is published

    MipiDbiDisplay(MipiDbiDriver driver, PanelConfig cfg, DbiBus bus, TransferPipeline pipeline, int chunkBytes) {
        this.driver = driver;
        this.cfg = cfg;
        this.bus = bus;
        this.pipeline = pipeline;
        this.wire = driver.wireFormat(cfg);
        this.width = cfg.visibleWidth();
        this.height = cfg.visibleHeight();
        this.left = driver.leftOffset(cfg);
        this.top = driver.topOffset(cfg);
        this.chunkBytes = chunkBytes;
        int[] mm = driver.sizeMm(cfg);
        boolean swap = cfg.rotation() == 90 || cfg.rotation() == 270;
        this.widthMm = swap ? mm[1] : mm[0];
        this.heightMm = swap ? mm[0] : mm[1];
        this.scratch = new byte[chunkBytes];
    }

    /**
     * The largest chunk of pixel bytes for one transfer: a multiple of the pixel size and of
     * the bus's data alignment, no larger than the bus's max data size.
     */
    static int chunkBytes(DbiBus bus, WireFormat wire) {
        int bpp = wire.bytesPerPixel();
        int align = bus.dataAlign();
        int unit = lcm(bpp, align);
        int n = bus.maxData() / unit * unit;
        return Math.max(unit, n);
    }

    private static int lcm(int a, int b) {
        int x = a, y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    /** Set at probe when {@code te_gpio} is configured. */
    void tearing(TearingSync t) {
        this.tearing = t;
    }

    /** The TE synchronisation, or null without {@code te_gpio}. */
    public TearingSync tearing() {
        return tearing;
    }

    public PanelConfig config() {
        return cfg;
    }

    @Override
    public long wireBytes() {
        return bus.bytesOut();
    }

    public DbiBus bus() {
        return bus;
    }

    @Override
    public DisplayInfo info() {
        List<DisplayInfo.Property> props = new ArrayList<>();
        if (bus.hasBacklight()) {
            props.add(new DisplayInfo.Property("backlight", 0, 100, backlight));
        }
        props.add(new DisplayInfo.Property("power", 0, 1, enabled ? 1 : 0));
        return new DisplayInfo(driver.name(), width, height, widthMm, heightMm,
                List.of(PixelFormat.XRGB8888, PixelFormat.RGB565), wire.panelFormat(), cfg.rotation(),
                props, true, "fast");
    }

    @Override
    public void enable() throws IOException {
        if (enabled) {
            return;
        }
        try {
            boolean on = driver.conditionalReset(cfg) && bus.displayIsOn();
            if (on) {
                driver.initSkipped(bus, cfg);
            } else {
                bus.hardReset();
                bus.command(DbiBus.SOFT_RESET);
                // after a hardware reset the controller sleeps: 5 ms suffice; otherwise 120 ms
                bus.sleeper().sleepMillis(bus.hasReset() ? 5 : 120);
                driver.init(bus, cfg);
                initialised = true;
                blank(); // the RAM holds noise after a reset: show black until the first flush
            }
            initialised = true;
            if (tearing != null) {
                tearing.enable(bus);
            }
            bus.backlight(backlight);
            enabled = true;
        } catch (IOException | RuntimeException e) {
            bus.resync();
            throw asDeviceException("enable", e);
        }
    }

    @Override
    public void disable() throws IOException {
        if (!enabled) {
            return;
        }
        try {
            if (bus.hasBacklight()) {
                bus.backlight(0);
            } else {
                blank();
            }
            bus.command(DbiBus.DISPLAY_OFF);
            enabled = false;
        } catch (IOException | RuntimeException e) {
            bus.resync();
            throw asDeviceException("disable", e);
        }
    }

    /** Writes black over the whole panel (mipi_dbi_blank). */
    private void blank() throws IOException {
        bus.setWindow(left, left + width - 1, top, top + height - 1);
        bus.writeMemoryStart();
        long total = (long) width * height * wire.bytesPerPixel();
        java.util.Arrays.fill(scratch, (byte) 0);
        while (total > 0) {
            int n = (int) Math.min(total, scratch.length);
            bus.writeData(scratch, 0, n);
            total -= n;
        }
    }

    @Override
    public void flush(Framebuffer source, Rect damage) throws IOException {
        if (source.width() != width || source.height() != height) {
            throw new DeviceException(Errno.EINVAL, "framebuffer is " + source.width() + "x" + source.height()
                    + ", the display is " + width + "x" + height);
        }
        if (!source.format().isClientFormat()) {
            throw new DeviceException(Errno.EINVAL, "cannot flush from a " + source.format()
                    + " framebuffer (XRGB8888 or RGB565)");
        }
        if (damage == null || !damage.isInside(width, height)) {
            throw new DeviceException(Errno.EINVAL, "damage " + damage + " is not inside the " + width + "x" + height + " display");
        }
        if (!initialised) {
            throw new DeviceException(Errno.EIO, "the controller is not initialised (enable has not succeeded)");
        }
        try {
            if (tearing == null) {
                int x0 = damage.x() + left, y0 = damage.y() + top;
                bus.setWindow(x0, x0 + damage.width() - 1, y0, y0 + damage.height() - 1);
                bus.writeMemoryStart();
                stream(source, damage);
            } else {
                for (Rect w : tearing.windows(damage)) {
                    int x0 = w.x() + left, y0 = w.y() + top;
                    tearing.beforeWindow(x0, x0 + w.width() - 1, y0, y0 + w.height() - 1);
                    bus.setWindow(x0, x0 + w.width() - 1, y0, y0 + w.height() - 1);
                    bus.writeMemoryStart();
                    stream(source, w);
                }
            }
        } catch (IOException | RuntimeException e) {
            bus.resync();
            throw asDeviceException("flush", e);
        }
    }

    private void stream(Framebuffer src, Rect r) throws IOException {
        int bpp = wire.bytesPerPixel();
        int w = r.width();
        long total = (long) w * r.height();
        int perChunk = chunkBytes / bpp;
        if (total <= perChunk || pipeline == null) {
            // small: convert and send on this thread
            int row = 0, col = 0;
            long remaining = total;
            while (remaining > 0) {
                int n = (int) Math.min(perChunk, remaining);
                int len = fill(src, r, row, col, n, scratch);
                bus.writeData(scratch, 0, len);
                int adv = col + n;
                row += adv / w;
                col = adv % w;
                remaining -= n;
            }
            return;
        }
        int row = 0, col = 0;
        long remaining = total;
        try {
            while (remaining > 0) {
                byte[] buf = pipeline.acquire();
                int n = (int) Math.min(perChunk, remaining);
                int len;
                try {
                    len = fill(src, r, row, col, n, buf);
                } catch (RuntimeException e) {
                    pipeline.giveBack(buf);
                    throw e;
                }
                pipeline.submit(buf, len);
                int adv = col + n;
                row += adv / w;
                col = adv % w;
                remaining -= n;
            }
            pipeline.finish();
        } catch (IOException | RuntimeException e) {
            pipeline.abort();
            throw e;
        }
    }

    /** Converts {@code n} pixels of {@code r} starting at its row {@code row}, column {@code col}. */
    private int fill(Framebuffer src, Rect r, int row, int col, int n, byte[] dst) {
        int off = 0;
        int w = r.width();
        while (n > 0) {
            int take = Math.min(n, w - col);
            off += wire.pack(src, r.x() + col, r.y() + row, take, dst, off);
            n -= take;
            col += take;
            if (col == w) {
                col = 0;
                row++;
            }
        }
        return off;
    }

    @Override
    public void setProperty(String name, long value) throws IOException {
        switch (name) {
            case "backlight":
                if (!bus.hasBacklight()) {
                    throw new DeviceException(Errno.EINVAL, "this panel has no backlight line configured");
                }
                if (value < 0 || value > 100) {
                    throw new DeviceException(Errno.EINVAL, "backlight must be 0 to 100, got " + value);
                }
                try {
                    if (enabled) {
                        bus.backlight((int) value);
                    }
                } catch (IOException | RuntimeException e) {
                    throw asDeviceException("backlight", e);
                }
                backlight = (int) value;
                break;
            case "power":
                if (value == 1) {
                    enable();
                } else if (value == 0) {
                    disable();
                } else {
                    throw new DeviceException(Errno.EINVAL, "power must be 0 or 1, got " + value);
                }
                break;
            default:
                throw new DeviceException(Errno.EINVAL, "unknown property '" + name + "' (known: backlight, power)");
        }
    }

    /** Set at probe when the panel has a touch controller ({@code touch.driver}). */
    void setTouch(org.paneld.drivers.display.TouchInput touch) {
        this.touch = touch;
    }

    @Override
    public java.util.Optional<org.paneld.drivers.display.TouchInput> touch() {
        return java.util.Optional.ofNullable(touch);
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** No: enable after DISPOFF resets, initialises and blanks the controller (its RAM is noise). */
    @Override
    public boolean keepsPictureWhenSwitchedOff() {
        return false;
    }

    private static DeviceException asDeviceException(String what, Throwable e) {
        if (e instanceof DeviceException) {
            return (DeviceException) e; // keeps its errno (ENODEV after unplug, EINVAL …)
        }
        return new DeviceException(Errno.EIO, what + " failed: " + e.getMessage(), e);
    }
}
