package org.paneld.drivers.virtual;

/**
 * An FT6206 / FT6236 capacitive touch controller on I2C, from FocalTech's FT6x36 application note
 * and register map: reads auto-increment from the register pointer; DEV_MODE 0x00, GEST_ID 0x01,
 * TD_STATUS 0x02 (touch count, low 4 bits), point 1 at 0x03–0x08 (XH: event flag bits 7–6 —
 * 0 press down, 1 lift up, 2 contact — and X bits 11–8; XL; YH: touch id bits 7–4 and Y bits
 * 11–8; YL; WEIGHT; MISC), point 2 at 0x09–0x0E; TH_GROUP 0x80, PERIODACTIVE 0x88, CHIPID 0xA3
 * (0x06 FT6206, 0x36 FT6236), G_MODE 0xA4 (0 polling: INT low while touched; 1 trigger: INT low
 * until TD_STATUS is read), FIRMID 0xA6, FOCALTECH_ID 0xA8 (0x11). Writes to read-only registers
 * are violations.
 *
 * <p>The emulated glass reports portrait coordinates of its own: X along the picture's y axis
 * (inverted), Y along its x axis, 2 % over scale and a few pixels off (uncalibrated), with the
 * configured noise in those units. Up to two fingers (the second through {@link #pressSecond}).
 * Threads: any (under the chip's monitor).
 */
public final class VirtualFt6236 extends VirtualTouchChip {
    private final int chipId;
    private final int[] regs = new int[256];
    private boolean second;
    private int secondX;
    private int secondY;
    private final boolean[] reported = new boolean[2];
    private boolean fresh;

    /** @param chipId 0x06 (FT6206) or 0x36 (FT6236) */
    public VirtualFt6236(int chipId, int viewWidth, int viewHeight, int noise, long seed) {
        super("ft6236", viewWidth, viewHeight, noise, seed);
        this.chipId = chipId;
        regs[0x80] = 0x16;
        regs[0x88] = 0x0E;
        regs[0xA1] = 0x30;
        regs[0xA2] = 0x03;
        regs[0xA3] = chipId;
        regs[0xA4] = 0x01;
        regs[0xA6] = 0x10;
        regs[0xA8] = 0x11;
    }

    public int chipId() {
        return chipId;
    }

    @Override
    protected boolean hasI2c() {
        return true;
    }

    /** A second finger at ({@code px}, {@code py}) of the rotation-0 picture (the simulator has one finger). */
    public void pressSecond(int px, int py) {
        synchronized (this) {
            if (px < 0 || py < 0 || px >= viewWidth() || py >= viewHeight()) {
                throw new IllegalArgumentException("second touch at " + px + "," + py + " is outside the panel");
            }
            second = true;
            secondX = px;
            secondY = py;
            fresh = true;
        }
        updateLine();
    }

    public void releaseSecond() {
        synchronized (this) {
            second = false;
            reported[1] = false;
            fresh = true;
        }
        updateLine();
    }

    @Override
    protected void fingerChanged(boolean down) {
        if (!pressed) {
            reported[0] = false;
        }
        fresh = true;
    }

    @Override
    protected boolean lineAsserted() {
        if (regs[0xA4] == 0) {
            return pressed || second;
        }
        return fresh;
    }

    private int rawX(int px, int py) {
        return 4 + (viewHeight() - 1 - py) * 102 / 100;
    }

    private int rawY(int px, int py) {
        return 2 + px * 102 / 100;
    }

    @Override
    protected void i2cRead(int register, byte[] buf, int off, int len) {
        int[] live = regs.clone();
        int n = 0;
        int[] points = new int[12];
        if (pressed) {
            fill(points, 0, 0, fingerX, fingerY);
            n++;
        }
        if (second) {
            fill(points, n * 6, 1, secondX, secondY);
            n++;
        }
        live[0x02] = n;
        System.arraycopy(points, 0, live, 0x03, 12);
        for (int i = 0; i < len; i++) {
            int r = register + i & 0xFF;
            buf[off + i] = (byte) live[r];
            if (r == 0x02) {
                fresh = false;
            }
            if (r >= 0x03 && r <= 0x0E && (r - 0x03) % 6 == 0) {
                int slot = live[r + 2] >> 4;
                if (slot <= 1) {
                    reported[slot] = true;
                }
            }
        }
    }

    private void fill(int[] p, int at, int id, int px, int py) {
        int x = Math.max(0, Math.min(4095, rawX(px, py) + noise()));
        int y = Math.max(0, Math.min(4095, rawY(px, py) + noise()));
        int event = reported[id] ? 2 : 0;
        p[at] = event << 6 | x >> 8 & 0x0F;
        p[at + 1] = x & 0xFF;
        p[at + 2] = id << 4 | y >> 8 & 0x0F;
        p[at + 3] = y & 0xFF;
        p[at + 4] = 0x40; // weight
        p[at + 5] = 0x10; // area
    }

    @Override
    protected void i2cWrite(int register, int value) {
        int r = register & 0xFF;
        if (r <= 0x0E || r == 0xA3 || r == 0xA6 || r == 0xA8 || r == 0xA1 || r == 0xA2) {
            if (r != 0x00) {
                violation("write of 0x" + Integer.toHexString(value) + " to read-only register 0x" + Integer.toHexString(r));
                return;
            }
        }
        if (r == 0xA4 && value != 0 && value != 1) {
            violation("G_MODE 0x" + Integer.toHexString(value) + " (0 polling or 1 trigger)");
        }
        regs[r] = value & 0xFF;
    }
}
