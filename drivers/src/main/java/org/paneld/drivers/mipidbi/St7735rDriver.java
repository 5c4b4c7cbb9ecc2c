package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.Set;
import org.paneld.drivers.spi.DbiBus;

/**
 * Sitronix ST7735R / ST7715R panels (the kernel's tiny/st7735r.c). Name "st7735r" (the common
 * 128x160 panel, same settings as the kernel's "jd-t18003-t01": no RAM offsets, RGB order,
 * write-only), aliases "jd-t18003-t01" and "rh128128t" (Okaya 128x128: RAM offsets 2, 3 at 0°
 * and the matching ones at the other rotations, BGR order bit set, reads wired).
 *
 * <p>Enable: always a full reset (the kernel's mipi_dbi_poweron_reset), then 150 ms, 11, 500 ms,
 * B1 01 2C 2D · B2 01 2C 2D · B3 01 2C 2D 01 2C 2D · B4 07 · C0 A2 02 84 · C1 C5 · C2 0A 00 · C3
 * 8A 2A · C4 8A EE · C5 0E · 20 (21 with {@code invert}) · 36 MADCTL · 3A 05 · E0 … · E1 … · 29 ·
 * 100 ms · 13 · 20 ms. MADCTL: 0° MX|MY, 90° MX|MV, 180° 0, 270° MY|MV, OR 0x08 when
 * {@code bgr}.
 *
 * <p>Config keys: name, driver, backend, rotation, spi_bus, spi_cs, spi_speed_hz (32 MHz),
 * spi_mode, spi_max_transfer, dbi_option, dc_gpio, reset_gpio, backlight_gpio, backlight_pwm,
 * bgr (false; true for rh128128t), invert (false), left_offset, top_offset (0, 0; for
 * rh128128t 2, 3 at 0°, 31, 2 at 90°, 2, 31 at 180°, 3, 2 at 270°), write_only. Stateless; any thread.
 */
public final class St7735rDriver extends MipiDbiDriver {

    @Override
    public String name() {
        return "st7735r";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("jd-t18003-t01", "rh128128t");
    }

    private static boolean okaya(PanelConfig c) {
        return "rh128128t".equals(c.driver());
    }

    @Override
    protected PanelConfig.Defaults defaults(String requestedName) {
        if ("rh128128t".equals(requestedName)) {
            return new PanelConfig.Defaults(requestedName, 128, 128, 32_000_000, true, false);
        }
        return new PanelConfig.Defaults(requestedName, 128, 160, 32_000_000, false, false);
    }

    @Override
    protected int[] sizeMm(PanelConfig c) {
        return okaya(c) ? new int[] {25, 26} : new int[] {28, 35};
    }

    /**
     * The Okaya glass is 128x128 at column 2, row 31 of the 132x162 RAM. The kernel adds its 2, 3
     * at every rotation, which is right only at 0°; the mirrored and exchanged rotations need the
     * offsets of the same glass seen through their MADCTL: 90° 31, 2; 180° 2, 31; 270° 3, 2.
     */
    private static final int[][] OKAYA_OFFSETS = {{2, 3}, {31, 2}, {2, 31}, {3, 2}};

    /** The Okaya's 128x128 glass sits on a 132x162 controller that scans all 162 lines. */
    @Override
    protected int scanLines(PanelConfig c) {
        return okaya(c) ? 162 : super.scanLines(c);
    }

    @Override
    protected int leftOffset(PanelConfig c) {
        return c.leftOffset() != null ? c.leftOffset() : okaya(c) ? OKAYA_OFFSETS[c.rotation() / 90][0] : 0;
    }

    @Override
    protected int topOffset(PanelConfig c) {
        return c.topOffset() != null ? c.topOffset() : okaya(c) ? OKAYA_OFFSETS[c.rotation() / 90][1] : 0;
    }

    @Override
    protected boolean conditionalReset(PanelConfig c) {
        return false;
    }

    @Override
    protected boolean readable(PanelConfig c) {
        return okaya(c) && !c.writeOnly(); // "Cannot read from Adafruit 1.8" display via SPI"
    }

    @Override
    protected int madctl(PanelConfig c) {
        return rotationBits(c.rotation(), MX | MY, MX | MV, 0, MY | MV) | (c.bgr() ? BGR : 0);
    }

    @Override
    protected void init(DbiBus bus, PanelConfig c) throws IOException {
        bus.sleeper().sleepMillis(150);
        bus.command(DbiBus.EXIT_SLEEP);
        bus.sleeper().sleepMillis(500);
        bus.command(0xB1, 0x01, 0x2C, 0x2D);
        bus.command(0xB2, 0x01, 0x2C, 0x2D);
        bus.command(0xB3, 0x01, 0x2C, 0x2D, 0x01, 0x2C, 0x2D);
        bus.command(0xB4, 0x07);
        bus.command(0xC0, 0xA2, 0x02, 0x84);
        bus.command(0xC1, 0xC5);
        bus.command(0xC2, 0x0A, 0x00);
        bus.command(0xC3, 0x8A, 0x2A);
        bus.command(0xC4, 0x8A, 0xEE);
        bus.command(0xC5, 0x0E);
        inversion(bus, c);
        bus.command(DbiBus.SET_ADDRESS_MODE, madctl(c));
        bus.command(DbiBus.SET_PIXEL_FORMAT, 0x05);
        bus.command(0xE0, 0x02, 0x1C, 0x07, 0x12, 0x37, 0x32, 0x29, 0x2D, 0x29, 0x25, 0x2B, 0x39, 0x00, 0x01, 0x03, 0x10);
        bus.command(0xE1, 0x03, 0x1D, 0x07, 0x06, 0x2E, 0x2C, 0x29, 0x2D, 0x2E, 0x2E, 0x37, 0x3F, 0x00, 0x00, 0x02, 0x10);
        bus.command(DbiBus.DISPLAY_ON);
        bus.sleeper().sleepMillis(100);
        bus.command(0x13);
        bus.sleeper().sleepMillis(20);
    }
}
