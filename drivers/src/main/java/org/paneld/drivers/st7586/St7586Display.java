package org.paneld.drivers.st7586;

import java.io.IOException;
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
 * The display functions of one bound ST7586 (EV3 LCD).
 *
 * <p><b>Enable</b> sends the kernel's st7586.c sequence: hardware reset and soft reset, auto-read
 * control D7 9F, OTP read (E0 00, E3, E1), sleep out, display off, VOP offset C7 00, VOP C0 E3 00,
 * bias C3 02, boost C4 04, analog D0 1D, N-line inversion B5 00, grey mode 38, DDRAM 3A 02,
 * address mode 36 00, duty B0 7F (128 lines), partial display B4 A0, partial rows 30 00 00 00 77,
 * inversion off 20, then the whole frame (the last content sent, white at first) and display on.
 *
 * <p><b>Flush</b> converts the damage to 2-bit grey and packs it 3 pixels per byte
 * ({@link St7586Pixels}: drm_fb_xrgb8888_to_gray8 weights, level = grey >> 6); since a column
 * address is a byte, the damage is widened to whole triplets of columns (columns 178–179 off
 * the glass are sent white); it is compared with the shadow of the controller's RAM (a
 * {@link PanelShadow} of column bytes: its grain is 3 pixels) and each planned window goes out as
 * CASET (column bytes), RASET, RAMWR.
 *
 * <p><b>Rotation</b> is done in software for 90, 180 and 270 ({@link St7586Pixels#panelXY}): the
 * address mode stays 0x00. The kernel maps 180 to MX|MY (and 90/270 to MY or MX alone, which
 * are mirrors, not rotations); on the ST7586 MX reverses all 384 segment columns while the EV3's
 * glass uses the first 178, so a hardware flip would move the picture off the glass unless the
 * window is offset — software rotation is exact and costs nothing on the wire.
 *
 * <p>Properties: "power" (0/1: disable/enable); the EV3 LCD has no backlight. Lifetime: created
 * at probe, lives as long as the device object. Threads: the device's serialised operations.
 */
public final class St7586Display implements Display {
    private static final int COLUMN_BYTES = St7586Pixels.RAM_VISIBLE_WIDTH / 3;
    /** A window's cost in byte-equivalents: 11 command bytes and 6 transfers of 16 (as MIPI DBI's default). */
    private static final int WINDOW_COST = 11 + 6 * 16;

    private final DbiBus dbi;
    private final int rotation;
    private final String damageMode;
    /**
     * The controller's visible RAM as last sent, one byte per column triplet (60 x 128): the
     * damage is compared with it (its grain, a column byte, is 3 pixels) and it is resent at enable.
     */
    private final PanelShadow shadow = new PanelShadow(COLUMN_BYTES, St7586Pixels.HEIGHT, 1, 1);
    private final byte[] tx = new byte[COLUMN_BYTES * St7586Pixels.HEIGHT];
    private final byte[] rowTmp = new byte[COLUMN_BYTES];
    private boolean on;
    /** A flush has put a client picture into the shadow (sent, or to be sent at the next enable). */
    private boolean pictureSent;

    public St7586Display(DbiBus dbi, int rotation) {
        this(dbi, rotation, "auto");
    }

    /** @param damageMode "auto" (compare with the shadow), "client" (send the damage whole) or "full" */
    public St7586Display(DbiBus dbi, int rotation, String damageMode) {
        this.dbi = dbi;
        this.rotation = rotation;
        this.damageMode = damageMode;
    }

    private int width() {
        return rotation == 90 || rotation == 270 ? St7586Pixels.HEIGHT : St7586Pixels.WIDTH;
    }

    private int height() {
        return rotation == 90 || rotation == 270 ? St7586Pixels.WIDTH : St7586Pixels.HEIGHT;
    }

    @Override
    public DisplayInfo info() {
        boolean swap = rotation == 90 || rotation == 270;
        return new DisplayInfo("st7586", width(), height(), swap ? 27 : 37, swap ? 37 : 27,
                List.of(PixelFormat.XRGB8888, PixelFormat.RGB565, PixelFormat.R8), "GREY4", rotation,
                List.of(new DisplayInfo.Property("power", 0, 1, on ? 1 : 0)), true, "fast");
    }

    @Override
    public void enable() throws IOException {
        dbi.hardReset();
        dbi.command(DbiBus.SOFT_RESET);
        dbi.sleeper().sleepMillis(5);
        dbi.command(0xd7, 0x9f); // auto-read control
        dbi.command(0xe0, 0x00); // OTP read/write control
        dbi.sleeper().sleepMillis(10);
        dbi.command(0xe3); // OTP read
        dbi.sleeper().sleepMillis(20);
        dbi.command(0xe1); // OTP control out
        dbi.command(DbiBus.EXIT_SLEEP);
        dbi.command(DbiBus.DISPLAY_OFF);
        dbi.sleeper().sleepMillis(50);
        dbi.command(0xc7, 0x00); // VOP offset
        dbi.command(0xc0, 0xe3, 0x00); // VOP
        dbi.command(0xc3, 0x02); // bias system
        dbi.command(0xc4, 0x04); // booster level
        dbi.command(0xd0, 0x1d); // analog circuit on
        dbi.command(0xb5, 0x00); // N-line inversion
        dbi.command(0x38); // grey mode
        dbi.command(0x3a, 0x02); // enable DDRAM
        dbi.command(DbiBus.SET_ADDRESS_MODE, 0x00); // rotation is done in software
        dbi.command(0xb0, 0x7f); // display duty: 128 lines
        dbi.command(0xb4, 0xa0); // partial display
        dbi.command(0x30, 0x00, 0x00, 0x00, 0x77); // partial rows
        dbi.command(DbiBus.INVERT_OFF);
        dbi.sleeper().sleepMillis(100);
        shadow.update(new Rect(0, 0, COLUMN_BYTES, St7586Pixels.HEIGHT), (x, y, n, dst, off) -> { }, false, WINDOW_COST);
        sendPlan();
        shadow.trust();
        dbi.command(DbiBus.DISPLAY_ON);
        on = true;
    }

    @Override
    public void disable() throws IOException {
        on = false;
        dbi.command(DbiBus.DISPLAY_OFF);
    }

    @Override
    public void flush(Framebuffer source, Rect damage) throws IOException {
        flush(source, List.of(damage));
    }

    /**
     * Widens each damage rectangle to column triplets, packs it into the shadow and sends what
     * changed ({@code damage = "auto"}), the whole rectangle ("client") or the whole frame
     * ("full"), one window per planned rectangle (CASET in column bytes, RASET, RAMWR). Pixels
     * outside the rectangles (but for the widening to whole column triplets) are not looked at.
     */
    @Override
    public void flush(Framebuffer source, List<Rect> damage) throws IOException {
        if (source.width() != width() || source.height() != height()) {
            throw new DeviceException(Errno.EINVAL, "buffer is " + source.width() + "x" + source.height()
                    + ", the display is " + width() + "x" + height());
        }
        if (damage.isEmpty()) {
            throw new DeviceException(Errno.EINVAL, "no damage rectangles");
        }
        for (Rect r : damage) {
            if (r == null || !r.isInside(width(), height())) {
                throw new DeviceException(Errno.EINVAL, "damage " + r + " is not inside " + width() + "x" + height());
            }
        }
        List<Rect> areas = new java.util.ArrayList<>();
        if ("full".equals(damageMode)) {
            areas.add(new Rect(0, 0, COLUMN_BYTES, St7586Pixels.HEIGHT));
        } else {
            for (Rect r : damage) {
                Rect p = St7586Pixels.widen(St7586Pixels.toPanel(r, rotation));
                areas.add(new Rect(p.x() / 3, p.y(), p.width() / 3, p.height()));
            }
        }
        PanelShadow.RowSource conv = (x, y, n, dst, off) -> {
            St7586Pixels.pack(source, new Rect(x * 3, y, n * 3, 1), rotation, rowTmp);
            System.arraycopy(rowTmp, 0, dst, off, n);
        };
        pictureSent = true;
        if (!on) {
            for (Rect area : areas) {
                shadow.update(area, conv, false, WINDOW_COST);
            }
            shadow.distrust(); // drawn at the next enable from the shadow
            return;
        }
        try {
            for (Rect area : areas) {
                shadow.update(area, conv, "auto".equals(damageMode), WINDOW_COST);
                sendPlan();
            }
        } catch (IOException | RuntimeException e) {
            shadow.distrust();
            throw e;
        }
    }

    /**
     * The shadow of the controller's RAM as the glass shows it, for the live view, once a flush
     * has put a client picture into it: under the device's operation lock only the 7680 column
     * bytes are copied; the returned supplier unpacks them on the caller's thread into the
     * client's orientation (each pixel's level through {@link St7586Pixels#levelOfCode} to
     * {@link St7586Pixels#levelRgb}: black, 0x555555, 0xAAAAAA, white).
     */
    @Override
    public java.util.function.Supplier<org.paneld.drivers.pixel.RgbImage> copyShownPicture() {
        if (!pictureSent) {
            return null;
        }
        byte[] ram = shadow.bytes().clone();
        int w = width(), h = height(), rot = rotation;
        return () -> {
            int[] rgb = new int[w * h];
            for (int cy = 0; cy < h; cy++) {
                for (int cx = 0; cx < w; cx++) {
                    int[] p = St7586Pixels.panelXY(cx, cy, rot);
                    int b = ram[p[1] * COLUMN_BYTES + p[0] / 3] & 0xFF;
                    int code;
                    switch (p[0] % 3) {
                        case 0: code = b >> 5; break;
                        case 1: code = b >> 2 & 7; break;
                        default: code = (b & 3) << 1; break; // the third pixel's 2-bit field, as a 3-bit code
                    }
                    rgb[cy * w + cx] = St7586Pixels.levelRgb(St7586Pixels.levelOfCode(code));
                }
            }
            return new org.paneld.drivers.pixel.RgbImage(w, h, rgb);
        };
    }

    /** Sends the shadow's planned windows; the one place where a window's write starts. */
    private void sendPlan() throws IOException {
        for (int i = 0; i < shadow.planned(); i++) {
            int len = shadow.w(i) * shadow.h(i);
            shadow.copyWindow(i, 0, tx, 0, len);
            dbi.setWindow(shadow.x(i), shadow.x(i) + shadow.w(i) - 1, shadow.y(i), shadow.y(i) + shadow.h(i) - 1);
            dbi.writePixels(tx, 0, len);
        }
    }

    @Override
    public void setProperty(String name, long value) throws IOException {
        if (!"power".equals(name)) {
            throw new DeviceException(Errno.EINVAL, "unknown property '" + name + "' (st7586 has: power)");
        }
        if (value == 1) {
            enable();
        } else if (value == 0) {
            disable();
        } else {
            throw new DeviceException(Errno.EINVAL, "property 'power' is 0 or 1, got " + value);
        }
    }
}
