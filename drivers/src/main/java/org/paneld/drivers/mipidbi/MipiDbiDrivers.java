package org.paneld.drivers.mipidbi;

import java.util.List;
import org.paneld.drivers.core.Driver;

/**
 * The MIPI DBI panel drivers, for registering on a bus: mi0283qt (alias ili9341), yx240qv29 (the
 * kernel's ili9341.c panel), st7735r
 * (aliases jd-t18003-t01, rh128128t), st7789v (alias st7789), ili9486 (aliases rpi-lcd-35,
 * piscreen), hx8357d (alias yx350hv15), ili9488 (alias sx035hv006), panel-mipi-dbi (alias
 * panel-mipi-dbi-spi). Stateless; any thread.
 */
public final class MipiDbiDrivers {
    private MipiDbiDrivers() {
    }

    /** A fresh instance of every MIPI DBI driver. */
    public static List<Driver> all() {
        return List.of(new Mi0283qtDriver(), new Yx240qv29Driver(), new St7735rDriver(), new St7789vDriver(), new Ili9486Driver(),
                new Hx8357dDriver(), new Ili9488Driver(), new PanelMipiDbiDriver());
    }
}
