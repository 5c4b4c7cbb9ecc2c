package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.Set;
import org.paneld.drivers.spi.DbiBus;

/**
 * Multi-Inno MI0283QT and other ILI9341 panels, 320x240 (the kernel's tiny/mi0283qt.c). Name
 * "mi0283qt", alias "ili9341".
 *
 * <p>Init, byte for byte as the kernel sends it (REFERENCE.md): 28 · CF 00 83 30 · ED 64 03 12 81
 * · E8 85 01 79 · CB 39 2C 00 34 02 · F7 20 · EA 00 00 · C0 26 · C1 11 · C5 35 3E · C7 BE · 3A 55 ·
 * 36 MADCTL · B1 00 1B · F2 08 · 26 01 · E0 … · E1 … · B7 07 · B6 0A 82 27 00 · 11 (100 ms) · 29
 * (100 ms), after hardware reset, 01 and its wait. MADCTL: 0° MV|MY|MX, 90° MY, 180° MV, 270° MX,
 * OR BGR (default on). Conditional reset: when the power mode reads back "on", only MADCTL is
 * sent. {@code invert = true} adds 21 after the init (the kernel sends nothing for it).
 *
 * <p>Config keys: name, driver, backend, rotation, spi_bus, spi_cs, spi_speed_hz (32 MHz),
 * spi_mode, spi_max_transfer, dbi_option, dc_gpio, reset_gpio, backlight_gpio, backlight_pwm,
 * bgr (true), invert (false), left_offset, top_offset (0). Stateless; any thread.
 */
public final class Mi0283qtDriver extends MipiDbiDriver {

    @Override
    public String name() {
        return "mi0283qt";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("ili9341");
    }

    @Override
    protected PanelConfig.Defaults defaults(String requestedName) {
        return new PanelConfig.Defaults(requestedName, 320, 240, 32_000_000, true, false);
    }

    @Override
    protected int[] sizeMm(PanelConfig c) {
        return new int[] {58, 43};
    }

    @Override
    protected int madctl(PanelConfig c) {
        return rotationBits(c.rotation(), MV | MY | MX, MY, MV, MX) | (c.bgr() ? BGR : 0);
    }

    @Override
    protected void init(DbiBus bus, PanelConfig c) throws IOException {
        bus.command(DbiBus.DISPLAY_OFF);
        bus.command(0xCF, 0x00, 0x83, 0x30);
        bus.command(0xED, 0x64, 0x03, 0x12, 0x81);
        bus.command(0xE8, 0x85, 0x01, 0x79);
        bus.command(0xCB, 0x39, 0x2C, 0x00, 0x34, 0x02);
        bus.command(0xF7, 0x20);
        bus.command(0xEA, 0x00, 0x00);
        bus.command(0xC0, 0x26);
        bus.command(0xC1, 0x11);
        bus.command(0xC5, 0x35, 0x3E);
        bus.command(0xC7, 0xBE);
        bus.command(DbiBus.SET_PIXEL_FORMAT, 0x55);
        bus.command(DbiBus.SET_ADDRESS_MODE, madctl(c));
        bus.command(0xB1, 0x00, 0x1B);
        bus.command(0xF2, 0x08);
        bus.command(0x26, 0x01);
        bus.command(0xE0, 0x1F, 0x1A, 0x18, 0x0A, 0x0F, 0x06, 0x45, 0x87, 0x32, 0x0A, 0x07, 0x02, 0x07, 0x05, 0x00);
        bus.command(0xE1, 0x00, 0x25, 0x27, 0x05, 0x10, 0x09, 0x3A, 0x78, 0x4D, 0x05, 0x18, 0x0D, 0x38, 0x3A, 0x1F);
        bus.command(0xB7, 0x07);
        bus.command(0xB6, 0x0A, 0x82, 0x27, 0x00);
        bus.command(DbiBus.EXIT_SLEEP);
        bus.sleeper().sleepMillis(100);
        bus.command(DbiBus.DISPLAY_ON);
        bus.sleeper().sleepMillis(100);
        if (c.invert()) {
            bus.command(DbiBus.INVERT_ON);
        }
    }
}
