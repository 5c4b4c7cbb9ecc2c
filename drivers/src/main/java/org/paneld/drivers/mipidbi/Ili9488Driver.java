package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.Set;
import org.paneld.drivers.spi.DbiBus;

/**
 * Ilitek ILI9488 panels, 320x480 native, whose SPI interface takes 18-bit pixels only: COLMOD
 * 0x66 and three bytes R, G, B per pixel on the wire (panel format "RGB666"). Mainline Linux has
 * no MIPI DBI driver for it; the sequence follows the widely used tinydrm ili9488 driver
 * (sx035hv006) with COLMOD written as 0x66 and without its CABC write (C8).
 *
 * <p>Init after hardware reset, 01 and its wait: 28 · E0 00 03 09 08 16 0A 3F 78 4C 09 0A 08 16 1A
 * 0F · E1 00 16 19 03 0F 05 32 45 46 04 0E 0D 35 37 0F · C0 17 15 · C1 41 · C5 00 12 80 · 3A 66 ·
 * B0 80 · B1 A1 · B4 02 · E9 00 · F7 A9 51 2C 82 · 11 · 120 ms · 13 · 29 · 100 ms · 36
 * MADCTL (21 with {@code invert}). MADCTL: 0° MX, 90° MV|MY|MX, 180° MY, 270° MV, OR BGR
 * (default on): the tinydrm driver's table with 90 and 270 exchanged, so rotation turns the
 * picture counter-clockwise like the kernel's mi0283qt and ili9486 (DRM's convention). Conditional reset.
 *
 * <p>Config keys: name, driver, backend, rotation, spi_bus, spi_cs, spi_speed_hz (32 MHz),
 * spi_mode, spi_max_transfer, dbi_option, dc_gpio, reset_gpio, backlight_gpio, backlight_pwm,
 * bgr (true), invert (false), left_offset, top_offset (0). Stateless; any thread.
 */
public final class Ili9488Driver extends MipiDbiDriver {

    @Override
    public String name() {
        return "ili9488";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("sx035hv006");
    }

    @Override
    protected PanelConfig.Defaults defaults(String requestedName) {
        return new PanelConfig.Defaults(requestedName, 320, 480, 32_000_000, true, false);
    }

    @Override
    protected WireFormat wireFormat(PanelConfig c) {
        return WireFormat.RGB666;
    }

    @Override
    protected int[] sizeMm(PanelConfig c) {
        return new int[] {49, 73};
    }

    @Override
    protected int madctl(PanelConfig c) {
        return rotationBits(c.rotation(), MX, MV | MY | MX, MY, MV) | (c.bgr() ? BGR : 0);
    }

    @Override
    protected void init(DbiBus bus, PanelConfig c) throws IOException {
        bus.command(DbiBus.DISPLAY_OFF);
        bus.command(0xE0, 0x00, 0x03, 0x09, 0x08, 0x16, 0x0A, 0x3F, 0x78, 0x4C, 0x09, 0x0A, 0x08, 0x16, 0x1A, 0x0F);
        bus.command(0xE1, 0x00, 0x16, 0x19, 0x03, 0x0F, 0x05, 0x32, 0x45, 0x46, 0x04, 0x0E, 0x0D, 0x35, 0x37, 0x0F);
        bus.command(0xC0, 0x17, 0x15);
        bus.command(0xC1, 0x41);
        bus.command(0xC5, 0x00, 0x12, 0x80);
        bus.command(DbiBus.SET_PIXEL_FORMAT, 0x66);
        bus.command(0xB0, 0x80);
        bus.command(0xB1, 0xA1);
        bus.command(0xB4, 0x02);
        bus.command(0xE9, 0x00);
        bus.command(0xF7, 0xA9, 0x51, 0x2C, 0x82);
        bus.command(DbiBus.EXIT_SLEEP);
        bus.sleeper().sleepMillis(120);
        bus.command(0x13);
        bus.command(DbiBus.DISPLAY_ON);
        bus.sleeper().sleepMillis(100);
        bus.command(DbiBus.SET_ADDRESS_MODE, madctl(c));
        if (c.invert()) {
            bus.command(DbiBus.INVERT_ON);
        }
    }
}
