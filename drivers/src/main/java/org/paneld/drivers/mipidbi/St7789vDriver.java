package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.Set;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.spi.DbiBus;

/**
 * Sitronix ST7789V panels, 240x320 (default) or 240x240 ({@code height = 240}). The mainline
 * kernel drives this controller from fbtft's fb_st7789v.c; its sequence is used: after
 * hardware reset, 01 and its wait: 11 · 120 ms · 3A 55 · B2 08 08 00 22 22 · B7 35 · C2 01 FF · C3
 * 0B · C4 20 · BB 20 · C5 20 · D0 A4 A1 · 21 (with {@code invert}, default on: ST7789 IPS glass
 * needs it; 20 otherwise) · 29 · 36 MADCTL · E0 … · E1 … (fbtft's default gamma).
 * MADCTL as fbtft: 0° 0, 90° MV|MY, 180° MX|MY, 270° MV|MX, OR 0x08 with {@code bgr}.
 *
 * <p>The controller's RAM is 240x320; a 240x240 glass shows RAM rows 0–239 at MADCTL 0, so the
 * mirrored rotations need RAM offsets: 90° left 80, 180° top 80 (0 otherwise); 240x320 needs none.
 * {@code left_offset}/{@code top_offset} override.
 *
 * <p>Config keys: name, driver, backend, rotation, spi_bus, spi_cs, spi_speed_hz (32 MHz),
 * spi_mode, spi_max_transfer, dbi_option, dc_gpio, reset_gpio, backlight_gpio, backlight_pwm,
 * bgr (false), invert (true), left_offset, top_offset, width (240), height (320 or 240).
 * Stateless; any thread.
 */
public final class St7789vDriver extends MipiDbiDriver {

    @Override
    public String name() {
        return "st7789v";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("st7789");
    }

    @Override
    protected PanelConfig.Defaults defaults(String requestedName) {
        return new PanelConfig.Defaults(requestedName, 240, 320, 32_000_000, false, true);
    }

    @Override
    protected Set<String> extraKeys() {
        return Set.of("width", "height");
    }

    @Override
    protected void check(PanelConfig pc, DeviceConfig config) throws ConfigException {
        if (pc.width() != 240) {
            throw config.error("width", "an ST7789V panel is 240 wide, got " + pc.width());
        }
        if (pc.height() != 240 && pc.height() != 320) {
            throw config.error("height", "must be 240 or 320 for an ST7789V panel, got " + pc.height());
        }
    }

    @Override
    protected int[] sizeMm(PanelConfig c) {
        return c.height() == 240 ? new int[] {23, 23} : new int[] {37, 49};
    }

    @Override
    protected int leftOffset(PanelConfig c) {
        if (c.leftOffset() != null) {
            return c.leftOffset();
        }
        return c.height() == 240 && c.rotation() == 90 ? 320 - 240 : 0;
    }

    @Override
    protected int topOffset(PanelConfig c) {
        if (c.topOffset() != null) {
            return c.topOffset();
        }
        return c.height() == 240 && c.rotation() == 180 ? 320 - 240 : 0;
    }

    /** The ST7789V scans all 320 gate lines (the init sets no GATECTRL), also behind a 240x240 glass. */
    @Override
    protected int scanLines(PanelConfig c) {
        return 320;
    }

    @Override
    protected int madctl(PanelConfig c) {
        return rotationBits(c.rotation(), 0, MV | MY, MX | MY, MV | MX) | (c.bgr() ? BGR : 0);
    }

    @Override
    protected void init(DbiBus bus, PanelConfig c) throws IOException {
        bus.command(DbiBus.EXIT_SLEEP);
        bus.sleeper().sleepMillis(120);
        bus.command(DbiBus.SET_PIXEL_FORMAT, 0x55);
        bus.command(0xB2, 0x08, 0x08, 0x00, 0x22, 0x22);
        bus.command(0xB7, 0x35);
        bus.command(0xC2, 0x01, 0xFF);
        bus.command(0xC3, 0x0B);
        bus.command(0xC4, 0x20);
        bus.command(0xBB, 0x20);
        bus.command(0xC5, 0x20);
        bus.command(0xD0, 0xA4, 0xA1);
        inversion(bus, c);
        bus.command(DbiBus.DISPLAY_ON);
        bus.command(DbiBus.SET_ADDRESS_MODE, madctl(c));
        bus.command(0xE0, 0x70, 0x2C, 0x2E, 0x15, 0x10, 0x09, 0x48, 0x33, 0x53, 0x0B, 0x19, 0x18, 0x20, 0x25);
        bus.command(0xE1, 0x70, 0x2C, 0x2E, 0x15, 0x10, 0x09, 0x48, 0x33, 0x53, 0x0B, 0x19, 0x18, 0x20, 0x25);
    }
}
