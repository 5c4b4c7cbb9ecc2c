package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PanelShadow;
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
 * <li>{@link #flush}: the damage is converted into the panel's shadow (what the controller's RAM
 *     holds, {@link PanelShadow}) and, with {@code damage = "auto"}, compared with it; the changed
 *     pixels become windows merged by cost, each CASET/RASET (RAM offsets added) and RAMWR with
 *     its bytes from the shadow, streamed in chunks through the device's transfer thread
 *     ({@link WindowWriter}); returns
 *     when the last chunk is written, with the first error (after which the shadow is distrusted
 *     and the next flush sends without comparing). With {@code te_gpio} the windows are compared
 *     first and then sent in scan order ({@link TearingSync#order}), each cut into bands that stay
 *     behind the scan ({@link TearingSync#windows}) and started by {@link TearingSync#beforeWindow};
 *     no window is streamed while comparing. Enable's re-send of the shadow does not wait on TE
 *     (it goes out before TEON, with the backlight off).</li>
 * <li>{@link #flushPaced}: with {@code interlace = "auto"}, under sustained overload, alternate rows
 *     of a large update first, the others pending until the next update or {@link #sendPendingRows()}
 *     ({@link Interlace}).</li>
 * <li>{@link #copyShownPicture()}: the shadow as RGB, for the live view.</li>
 * <li>Properties "backlight" (0–100; PWM brightness where configured, else on/off) and "power".</li>
 * </ul>
 * Lifetime: made at probe, lives as long as the device object; its bus and transfer thread are in
 * the hardware scope. Threads: the device serialises calls (see {@link Display}).
 */
public class MipiDbiDisplay implements Display {
    private final MipiDbiDriver driver;
    private final PanelConfig cfg;
    private final DbiBus bus;
    private final WireFormat wire;
    private final int width;
    private final int height;
    private final int widthMm;
    private final int heightMm;
    private final PanelShadow shadow;
    private final WindowWriter windows;
    private final String mode;
    private final Interlace interlace; // null with interlace = "off"
    private volatile long interlacedUpdates; // written by the device worker, read by DEVICE_INFO
    private volatile boolean enabled;
    private volatile boolean initialised;
    private boolean pictureSent; // under the device's operation lock: a flush has put a client picture into the shadow
    private volatile int backlight = 100;
    private volatile org.paneld.drivers.display.TouchInput touch;
    private volatile TearingSync tearing; // set once at probe, before the display is published

    MipiDbiDisplay(MipiDbiDriver driver, PanelConfig cfg, DbiBus bus, TransferPipeline pipeline, int chunkBytes) {
        this.driver = driver;
        this.cfg = cfg;
        this.bus = bus;
        this.wire = driver.wireFormat(cfg);
        this.width = cfg.visibleWidth();
        this.height = cfg.visibleHeight();
        int[] mm = driver.sizeMm(cfg);
        boolean swap = cfg.rotation() == 90 || cfg.rotation() == 270;
        this.widthMm = swap ? mm[1] : mm[0];
        this.heightMm = swap ? mm[0] : mm[1];
        this.shadow = new PanelShadow(width, height, wire.bytesPerPixel(), 1);
        this.windows = new WindowWriter(bus, pipeline, shadow, chunkBytes, driver.leftOffset(cfg), driver.topOffset(cfg));
        this.mode = cfg.damage();
        this.interlace = "auto".equals(cfg.interlace()) && "auto".equals(mode)
                ? new Interlace(shadow, width, height) : null;
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
                shadow.distrust(); // the controller kept a picture this process does not know
            } else {
                bus.hardReset();
                bus.command(DbiBus.SOFT_RESET);
                // after a hardware reset the controller sleeps: 5 ms suffice; otherwise 120 ms
                bus.sleeper().sleepMillis(bus.hasReset() ? 5 : 120);
                driver.init(bus, cfg);
                initialised = true;
                // the RAM holds noise after a reset: black at the first enable, then the last picture
                sendWholeShadow();
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
                blank(false);
            }
            bus.command(DbiBus.DISPLAY_OFF);
            enabled = false;
        } catch (IOException | RuntimeException e) {
            bus.resync();
            throw asDeviceException("disable", e);
        }
    }

    /**
     * Writes black over the whole panel (mipi_dbi_blank). With {@code intoShadow} the shadow
     * becomes black too (the controller after a reset); without, the shadow keeps the client's
     * picture (DISPOFF without a backlight) and is distrusted until the next enable re-sends it.
     */
    private void blank(boolean intoShadow) throws IOException {
        if (intoShadow) {
            shadow.clear();
            sendWholeShadow();
            return;
        }
        shadow.distrust();
        windows.writeBlack(width, height);
    }

    /**
     * Sends the whole shadow (after enable: black at the first, the client's last picture after a
     * disable). Never waits on TE: it runs before TEON and with the backlight still off, so no
     * refresh of it is seen.
     */
    private void sendWholeShadow() throws IOException {
        shadow.distrust();
        shadow.update(Rect.of(width, height), (x, y, n, dst, off) -> { }, false, cfg.windowCost());
        windows.sendPlan(null);
        shadow.trust();
    }

    @Override
    public void flush(Framebuffer source, Rect damage) throws IOException {
        flush(source, List.of(damage));
    }

    /**
     * Sends the damage: with {@code damage = "auto"} the bounding rectangle of the rectangles is
     * converted and compared with the shadow (outside the rectangles themselves nothing counts as
     * changed), and only the windows planned by
     * {@link PanelShadow#update} go out; "client" sends each rectangle whole, "full" the whole
     * frame. Each window is written by {@link WindowWriter}.
     */
    @Override
    public void flush(Framebuffer source, List<Rect> damage) throws IOException {
        flushPaced(source, damage, false);
    }

    /**
     * {@link #flush(Framebuffer, List)}; with {@code interlace = "auto"}, when {@code overloaded}
     * and the update is large, or rows of the last one are pending, through {@link Interlace}: the
     * update goes into its target picture and only rows of one parity (or, when not interlacing,
     * all rows, the pending ones included) are compared and sent.
     */
    @Override
    public void flushPaced(Framebuffer source, List<Rect> damage, boolean overloaded) throws IOException {
        if (source.width() != width || source.height() != height) {
            throw new DeviceException(Errno.EINVAL, "framebuffer is " + source.width() + "x" + source.height()
                    + ", the display is " + width + "x" + height);
        }
        if (!source.format().isClientFormat()) {
            throw new DeviceException(Errno.EINVAL, "cannot flush from a " + source.format()
                    + " framebuffer (XRGB8888 or RGB565)");
        }
        if (damage.isEmpty()) {
            throw new DeviceException(Errno.EINVAL, "no damage rectangles");
        }
        Rect box = null;
        for (Rect r : damage) {
            if (r == null || !r.isInside(width, height)) {
                throw new DeviceException(Errno.EINVAL, "damage " + r + " is not inside the " + width + "x" + height + " display");
            }
            box = box == null ? r : box.union(r);
        }
        if (!initialised) {
            throw new DeviceException(Errno.EIO, "the controller is not initialised (enable has not succeeded)");
        }
        PanelShadow.RowSource conv = (x, y, n, dst, off) -> wire.pack(source, x, y, n, dst, off);
        // several rectangles: their bounding rectangle is compared, but outside the rectangles the
        // "new" pixels are the shadow's own, so nothing there counts as changed (PROTOCOL.md, FLUSH)
        PanelShadow.RowSource inside = damage.size() == 1 ? conv : (x, y, n, dst, off) -> {
            int bpp = shadow.bytesPerPixel();
            System.arraycopy(shadow.bytes(), y * shadow.stride() + x * bpp, dst, off, n * bpp);
            for (Rect r : damage) {
                int a = Math.max(x, r.x()), b = Math.min(x + n, r.x() + r.width());
                if (y >= r.y() && y < r.y() + r.height() && a < b) {
                    conv.convert(a, y, b - a, dst, off + (a - x) * bpp);
                }
            }
        };
        TearingSync t = tearing;
        if (interlace != null && (interlace.pending() || overloaded && interlace.large(box))) {
            flushInterlaced(damage, box, conv, overloaded && interlace.large(box) && shadow.trusted(), t);
            return;
        }
        try {
            switch (mode) {
                case "full":
                    shadow.update(Rect.of(width, height), conv, false, cfg.windowCost());
                    windows.sendPlan(t);
                    break;
                case "client":
                    for (Rect r : damage) {
                        shadow.update(r, conv, false, cfg.windowCost());
                        windows.sendPlan(t);
                    }
                    break;
                default:
                    boolean whole = box.area() == (long) width * height;
                    windows.updateStreamed(box, inside, cfg.windowCost(), t != null);
                    windows.sendPlan(t);
                    if (whole) {
                        shadow.trust(); // the whole frame was compared or sent: the shadow is the GRAM again
                    }
            }
        } catch (IOException | RuntimeException e) {
            throw flushFailed(e);
        } finally {
            pictureSent = true; // the shadow holds the client's picture (sent, or to be sent again)
        }
    }

    /**
     * The update through {@link Interlace}: into its target picture, then only the rows of one
     * parity ({@code alternate}) or all rows, the pending ones included, compared and sent.
     */
    private void flushInterlaced(List<Rect> damage, Rect box, PanelShadow.RowSource conv, boolean alternate, TearingSync t)
            throws IOException {
        try {
            interlace.take(damage, conv);
            interlace.plan(box, alternate, cfg.windowCost());
            windows.sendPlan(t);
            interlace.sent();
            interlacedUpdates += alternate ? 1 : 0;
            if (!alternate && box.area() == (long) width * height) {
                shadow.trust(); // the whole frame was compared or sent: the shadow is the GRAM again
            }
        } catch (IOException | RuntimeException e) {
            throw flushFailed(e);
        } finally {
            pictureSent = true;
        }
    }

    /** A flush failed part-way: the shadow no longer knows the GRAM, the bus is resynchronised. */
    private DeviceException flushFailed(Exception e) {
        shadow.distrust();
        bus.resync();
        return asDeviceException("flush", e);
    }

    @Override
    public boolean hasPendingRows() {
        return interlace != null && interlace.pending();
    }

    /** Sends the rows the last interlaced update left pending, whole, from its target picture. */
    @Override
    public void sendPendingRows() throws IOException {
        if (!hasPendingRows()) {
            return;
        }
        try {
            interlace.plan(null, false, cfg.windowCost());
            windows.sendPlan(tearing);
            interlace.sent();
        } catch (IOException | RuntimeException e) {
            throw flushFailed(e);
        }
    }

    /**
     * The shadow (what the controller's RAM holds, in display coordinates) as RGB, once a flush has
     * put a client picture into it. Under the device's operation lock: copies the bytes; the
     * conversion runs on the caller's thread.
     */
    @Override
    public java.util.function.Supplier<org.paneld.drivers.pixel.RgbImage> copyShownPicture() {
        if (!pictureSent) {
            return null;
        }
        byte[] px = shadow.bytes().clone();
        int stride = shadow.stride(), bpp = wire.bytesPerPixel();
        return () -> {
            int[] rgb = new int[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0, o = y * stride; x < width; x++, o += bpp) {
                    rgb[y * width + x] = wire.unpack(px, o);
                }
            }
            return new org.paneld.drivers.pixel.RgbImage(width, height, rgb);
        };
    }

    @Override
    public long interlacedUpdates() {
        return interlacedUpdates;
    }

    /** Windows written by flushes since probe. */
    public long windowsSent() {
        return windows.windowsSent();
    }

    /** Bytes (pixels and window commands) flushes put on the wire since probe. */
    public long bytesPlanned() {
        return windows.bytesPlanned();
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

    /**
     * Yes, through the shadow: enable after DISPOFF resets and initialises the controller (its RAM
     * is noise) and then sends the whole shadow, the picture it last showed, so the device keeps no
     * second copy.
     */
    @Override
    public boolean keepsPictureWhenSwitchedOff() {
        return true;
    }

    private static DeviceException asDeviceException(String what, Throwable e) {
        if (e instanceof DeviceException) {
            return (DeviceException) e; // keeps its errno (ENODEV after unplug, EINVAL …)
        }
        return new DeviceException(Errno.EIO, what + " failed: " + e.getMessage(), e);
    }
}
