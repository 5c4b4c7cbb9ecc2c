package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.Set;
import org.paneld.drivers.spi.DbiBus;

/**
 * Ilitek ILI9486 panels, 480x320, such as the Waveshare rpi-lcd-35 and the PiScreen (the
 * kernel's tiny/ili9486.c). These boards put a 16-bit shift register in front of the
 * controller, so the command byte and parameters travel as 16-bit words with a zero high byte
 * ({@code spi_16bit_shift}, default true); pixels go as RGB565 big-endian words. Reads are not
 * wired (the kernel sets no read commands), so enable always resets.
 *
 * <p>Init after hardware reset, 01 and its wait: B0 · 11 · 250 ms · 3A 55 · C2 44 · C5 00 00 00
 * 00 · E0 … · E1 … · E2 … · 29 · 100 ms · 36 MADCTL, then 21 with {@code invert}. MADCTL: 0°
 * MV|MY|MX, 90° MY, 180° MV, 270° MX, OR BGR (default on).
 *
 * <p>Config keys: name, driver, backend, rotation, spi_bus, spi_cs, spi_speed_hz (32 MHz),
 * spi_mode, spi_max_transfer, dbi_option, dc_gpio, reset_gpio, backlight_gpio, backlight_pwm,
 * bgr (true), invert (false), left_offset, top_offset (0), spi_16bit_shift (true).
 * Stateless; any thread.
 */
public final class Ili9486Driver extends MipiDbiDriver {

    @Override
    public String name() {
        return "ili9486";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("rpi-lcd-35", "piscreen");
    }

    @Override
    protected PanelConfig.Defaults defaults(String requestedName) {
        return new PanelConfig.Defaults(requestedName, 480, 320, 32_000_000, true, false);
    }

    @Override
    protected Set<String> extraKeys() {
        return Set.of("spi_16bit_shift");
    }

    @Override
    protected int[] sizeMm(PanelConfig c) {
        return new int[] {73, 49};
    }

    @Override
    protected boolean readable(PanelConfig c) {
        return false;
    }

    @Override
    protected int madctl(PanelConfig c) {
        return rotationBits(c.rotation(), MV | MY | MX, MY, MV, MX) | (c.bgr() ? BGR : 0);
    }

    @Override
    protected void init(DbiBus bus, PanelConfig c) throws IOException {
        bus.command(0xB0);
        bus.command(DbiBus.EXIT_SLEEP);
        bus.sleeper().sleepMillis(250);
        bus.command(DbiBus.SET_PIXEL_FORMAT, 0x55);
        bus.command(0xC2, 0x44);
        bus.command(0xC5, 0x00, 0x00, 0x00, 0x00);
        bus.command(0xE0, 0x0F, 0x1F, 0x1C, 0x0C, 0x0F, 0x08, 0x48, 0x98, 0x37, 0x0A, 0x13, 0x04, 0x11, 0x0D, 0x00);
        bus.command(0xE1, 0x0F, 0x32, 0x2E, 0x0B, 0x0D, 0x05, 0x47, 0x75, 0x37, 0x06, 0x10, 0x03, 0x24, 0x20, 0x00);
        bus.command(0xE2, 0x0F, 0x32, 0x2E, 0x0B, 0x0D, 0x05, 0x47, 0x75, 0x37, 0x06, 0x10, 0x03, 0x24, 0x20, 0x00);
        bus.command(DbiBus.DISPLAY_ON);
        bus.sleeper().sleepMillis(100);
        bus.command(DbiBus.SET_ADDRESS_MODE, madctl(c));
        if (c.invert()) {
            bus.command(DbiBus.INVERT_ON);
        }
    }
}
