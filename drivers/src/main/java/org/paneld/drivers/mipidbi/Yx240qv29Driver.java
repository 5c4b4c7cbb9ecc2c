package org.paneld.drivers.mipidbi;

import java.io.IOException;
import org.paneld.drivers.spi.DbiBus;

/**
 * The Adafruit 2.4" yx240qv29 (ILI9341, 240x320 portrait), the panel of the kernel's
 * tiny/ili9341.c (compatible "adafruit,yx240qv29"; the kernel module is called ili9341, while
 * paneld's "ili9341" alias is the mi0283qt). Name "yx240qv29".
 *
 * <p>Init, as the kernel sends it: 28 · CF 00 C1 30 · ED 64 03 12 81 · E8 85 00 78 · CB 39 2C 00 34
 * 02 · F7 20 · EA 00 00 · C0 23 · C1 10 · C5 3E 28 · C7 86 · 3A 55 · B1 00 1B · F2 00 · 26 01 · E0 0F
 * 31 2B 0C 0E 08 4E F1 37 07 10 03 0E 09 00 · E1 00 0E 14 03 11 07 31 C1 48 08 0F 0C 31 36 0F · B7
 * 07 · B6 08 82 27 00 · 11 (100 ms) · 29 (100 ms), then MADCTL (also when the conditional reset
 * skipped the init): 0° MX, 90° MV, 180° MY, 270° MV|MY|MX, OR BGR (default on), so rotation 0
 * is MADCTL 0x48. Config keys as {@link Mi0283qtDriver}. Stateless; any thread.
 */
public final class Yx240qv29Driver extends MipiDbiDriver {

    @Override
    public String name() {
        return "yx240qv29";
    }

    @Override
    protected PanelConfig.Defaults defaults(String requestedName) {
        return new PanelConfig.Defaults(requestedName, 240, 320, 32_000_000, true, false);
    }

    @Override
    protected int[] sizeMm(PanelConfig c) {
        return new int[] {37, 49}; // DRM_SIMPLE_MODE(240, 320, 37, 49)
    }

    @Override
    protected int madctl(PanelConfig c) {
        return rotationBits(c.rotation(), MX, MV, MY, MV | MY | MX) | (c.bgr() ? BGR : 0);
    }

    @Override
    protected void init(DbiBus bus, PanelConfig c) throws IOException {
        bus.command(DbiBus.DISPLAY_OFF);
        bus.command(0xCF, 0x00, 0xC1, 0x30);
        bus.command(0xED, 0x64, 0x03, 0x12, 0x81);
        bus.command(0xE8, 0x85, 0x00, 0x78);
        bus.command(0xCB, 0x39, 0x2C, 0x00, 0x34, 0x02);
        bus.command(0xF7, 0x20);
        bus.command(0xEA, 0x00, 0x00);
        bus.command(0xC0, 0x23);
        bus.command(0xC1, 0x10);
        bus.command(0xC5, 0x3E, 0x28);
        bus.command(0xC7, 0x86);
        bus.command(DbiBus.SET_PIXEL_FORMAT, 0x55);
        bus.command(0xB1, 0x00, 0x1B);
        bus.command(0xF2, 0x00);
        bus.command(0x26, 0x01);
        bus.command(0xE0, 0x0F, 0x31, 0x2B, 0x0C, 0x0E, 0x08, 0x4E, 0xF1, 0x37, 0x07, 0x10, 0x03, 0x0E, 0x09, 0x00);
        bus.command(0xE1, 0x00, 0x0E, 0x14, 0x03, 0x11, 0x07, 0x31, 0xC1, 0x48, 0x08, 0x0F, 0x0C, 0x31, 0x36, 0x0F);
        bus.command(0xB7, 0x07);
        bus.command(0xB6, 0x08, 0x82, 0x27, 0x00);
        bus.command(DbiBus.EXIT_SLEEP);
        bus.sleeper().sleepMillis(100);
        bus.command(DbiBus.DISPLAY_ON);
        bus.sleeper().sleepMillis(100);
        bus.command(DbiBus.SET_ADDRESS_MODE, madctl(c)); // the kernel's out_enable
        if (c.invert()) {
            bus.command(DbiBus.INVERT_ON);
        }
    }

    /** The kernel's MADCTL table turns the other way round: the picture at rotation r is turned 360 - r. */
    @Override
    protected int pictureRotation(PanelConfig c) {
        return (360 - c.rotation()) % 360;
    }
}
