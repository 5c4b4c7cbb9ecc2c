package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.Set;
import org.paneld.drivers.spi.DbiBus;

/**
 * Himax HX8357D panels, 320x480 native (480x320 at rotation 90 or 270), such as Adafruit's
 * yx350hv15 3.5" (the kernel's tiny/hx8357d.c). Alias "yx350hv15". The colour order is set by
 * SETPANEL (CC 05), so MADCTL carries no BGR bit unless {@code bgr} asks for it.
 *
 * <p>Init after hardware reset, 01 and its wait: B9 FF 83 57 · 150 ms · B3 00 00 06 06 · B6 25 ·
 * B0 68 · CC 05 · B1 00 15 1C 1C 83 AA · C0 50 50 01 3C 1E 08 · B3 02 40 00 2A 2A 0D 78 · E0 (34
 * bytes) · 3A 05 · 35 00 · 44 00 02 · 11 · 150 ms · 29 · 5 ms · 36 MADCTL (21 with
 * {@code invert}). MADCTL: 0° MX|MY, 90° MV|MY, 180° 0, 270° MV|MX (the kernel's table, which turns
 * the picture clockwise where the other drivers turn it counter-clockwise). Conditional reset.
 *
 * <p>Config keys: name, driver, backend, rotation, spi_bus, spi_cs, spi_speed_hz (32 MHz),
 * spi_mode, spi_max_transfer, dbi_option, dc_gpio, reset_gpio, backlight_gpio, backlight_pwm,
 * bgr (false), invert (false), left_offset, top_offset (0). Stateless; any thread.
 */
public final class Hx8357dDriver extends MipiDbiDriver {

    @Override
    public String name() {
        return "hx8357d";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("yx350hv15");
    }

    @Override
    protected PanelConfig.Defaults defaults(String requestedName) {
        return new PanelConfig.Defaults(requestedName, 320, 480, 32_000_000, false, false);
    }

    @Override
    protected int[] sizeMm(PanelConfig c) {
        return new int[] {60, 75};
    }

    @Override
    protected int madctl(PanelConfig c) {
        return rotationBits(c.rotation(), MX | MY, MV | MY, 0, MV | MX) | (c.bgr() ? BGR : 0);
    }

    @Override
    protected void init(DbiBus bus, PanelConfig c) throws IOException {
        bus.command(0xB9, 0xFF, 0x83, 0x57);
        bus.sleeper().sleepMillis(150);
        bus.command(0xB3, 0x00, 0x00, 0x06, 0x06);
        bus.command(0xB6, 0x25);
        bus.command(0xB0, 0x68);
        bus.command(0xCC, 0x05);
        bus.command(0xB1, 0x00, 0x15, 0x1C, 0x1C, 0x83, 0xAA);
        bus.command(0xC0, 0x50, 0x50, 0x01, 0x3C, 0x1E, 0x08);
        bus.command(0xB3, 0x02, 0x40, 0x00, 0x2A, 0x2A, 0x0D, 0x78);
        bus.command(0xE0, 0x02, 0x0A, 0x11, 0x1D, 0x23, 0x35, 0x41, 0x4B, 0x4B, 0x42, 0x3A, 0x27, 0x1B, 0x08, 0x09,
                0x03, 0x02, 0x0A, 0x11, 0x1D, 0x23, 0x35, 0x41, 0x4B, 0x4B, 0x42, 0x3A, 0x27, 0x1B, 0x08, 0x09, 0x03,
                0x00, 0x01);
        bus.command(DbiBus.SET_PIXEL_FORMAT, 0x05);
        bus.command(0x35, 0x00);
        bus.command(0x44, 0x00, 0x02);
        bus.command(DbiBus.EXIT_SLEEP);
        bus.sleeper().sleepMillis(150);
        bus.command(DbiBus.DISPLAY_ON);
        bus.sleeper().sleepMillis(5);
        bus.command(DbiBus.SET_ADDRESS_MODE, madctl(c));
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
