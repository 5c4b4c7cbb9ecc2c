package org.paneld.drivers.repaper;

import java.util.List;
import java.util.Set;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;

/**
 * A repaper device's configuration, checked: every problem is a {@link ConfigException} naming
 * the place and the key. Keys:
 * <ul>
 * <li>{@code panel} (required): e1144cs021 (1.44"), e1190cs021 (1.9"), e2200cs021 (2.0"), e2271cs021 (2.7");</li>
 * <li>{@code cog}: "g2" (the default and the only one supported; "g1" is refused with the reason, see {@link RepaperCog});</li>
 * <li>{@code partial}: partial (masked) updates after the first full one when at most half the pixels change
 *     (default true); false makes every update a full four-stage one;</li>
 * <li>{@code dither}: "floyd-steinberg" (default) | "ordered" | "threshold";</li>
 * <li>{@code rotation}: 0, 90, 180, 270 (software): the panel mounted turned that many degrees
 *     counter-clockwise, as the device-tree "rotation" property (and the MIPI DBI drivers) mean it;</li>
 * <li>{@code temperature}: ambient °C (-40..85, default 25), used when no sensor is set or it cannot be read;</li>
 * <li>{@code temperature_sensor}: a file holding milli-°C, e.g. /sys/class/thermal/thermal_zone0/temp, read before every refresh;</li>
 * <li>{@code backend}: "spi" (default) | "virtual"; {@code spi_bus}, {@code spi_cs}, {@code spi_speed_hz}
 *     (default 8 MHz), {@code spi_mode}, {@code spi_max_transfer};</li>
 * <li>{@code panel_on_gpio}, {@code discharge_gpio}, {@code reset_gpio}, {@code busy_gpio} (BCM lines,
 *     required with backend "spi"), {@code border_gpio} (required for e2271cs021 with backend "spi").</li>
 * </ul>
 * Immutable; any thread.
 */
public record RepaperConfig(RepaperPanel panel, boolean g2, boolean partial, MonoConverter.Mode dither, int rotation,
                            int temperature, String temperatureSensor, boolean virtual, int spiBus, int spiCs,
                            int spiSpeedHz, int spiMode, int spiMaxTransfer, int panelOnGpio, int dischargeGpio,
                            int resetGpio, int busyGpio, int borderGpio) {

    public static final Set<String> KEYS = Set.of("name", "driver", "backend", "panel", "cog", "partial", "dither",
            "rotation", "temperature", "temperature_sensor", "spi_bus", "spi_cs", "spi_speed_hz", "spi_mode",
            "spi_max_transfer", "panel_on_gpio", "discharge_gpio", "reset_gpio", "busy_gpio", "border_gpio");
    public static final int NONE = -1;

    public static RepaperConfig parse(DeviceConfig c) throws ConfigException {
        c.checkKnownKeys(KEYS);
        if (!c.has("panel")) {
            throw c.error("panel", "missing; must be one of " + String.join(", ", RepaperPanel.configNames()));
        }
        RepaperPanel panel = RepaperPanel.byName(c.oneOf("panel", null, RepaperPanel.configNames()));
        boolean g2 = c.oneOf("cog", "g2", List.of("g2", "g1")).equals("g2");
        if (!g2) {
            throw c.error("cog", "COG G1 panels are not supported (end of life since 2013): they need a 100-300 kHz PWM "
                    + "charge-pump clock during power-on, other register values and a mirrored line layout; "
                    + "the e1144/e1190/e2200/e2271cs021 panels carry a G2 (\"g2\")");
        }
        boolean partial = c.bool("partial", true);
        MonoConverter.Mode dither = MonoConverter.Mode.byName(c.oneOf("dither", "floyd-steinberg", MonoConverter.Mode.configNames()));
        int rotation = (int) c.oneOf("rotation", 0, 0, 90, 180, 270);
        int temperature = c.intValue("temperature", 25, -40, 85);
        String sensor = c.has("temperature_sensor") ? c.string("temperature_sensor") : null;
        if (sensor != null && sensor.isBlank()) {
            throw c.error("temperature_sensor", "must be a file path, got an empty string");
        }
        boolean virtual = c.oneOf("backend", "spi", List.of("spi", "virtual")).equals("virtual");
        int bus = c.intValue("spi_bus", 0, 0, 6);
        int cs = c.intValue("spi_cs", 0, 0, 15);
        int speed = c.intValue("spi_speed_hz", 8_000_000, 100_000, 20_000_000);
        int mode = c.intValue("spi_mode", 0, 0, 3);
        int max = c.intValue("spi_max_transfer", 4096, 256, 65536);
        int on = c.intValue("panel_on_gpio", NONE, 0, 53);
        int dis = c.intValue("discharge_gpio", NONE, 0, 53);
        int rst = c.intValue("reset_gpio", NONE, 0, 53);
        int busy = c.intValue("busy_gpio", NONE, 0, 53);
        int border = c.intValue("border_gpio", NONE, 0, 53);
        if (!virtual) {
            for (String k : List.of("panel_on_gpio", "discharge_gpio", "reset_gpio", "busy_gpio")) {
                if (!c.has(k)) {
                    throw c.error(k, "missing; backend \"spi\" needs the BCM number of the " + k.replace("_gpio", "").replace('_', '-') + " line");
                }
            }
            if (panel.hasBorderGpio() && border == NONE) {
                throw c.error("border_gpio", "missing; the " + panel.configName() + " (2.7\") needs its border line");
            }
        }
        if (border != NONE && !panel.hasBorderGpio()) {
            throw c.error("border_gpio", "the " + panel.configName() + " has no border line (only e2271cs021 has)");
        }
        return new RepaperConfig(panel, g2, partial, dither, rotation, temperature, sensor, virtual, bus, cs, speed, mode,
                max & ~1, on, dis, rst, busy, border);
    }

    /** Client-visible width (after rotation). */
    public int clientWidth() {
        return rotation == 90 || rotation == 270 ? panel.height() : panel.width();
    }

    public int clientHeight() {
        return rotation == 90 || rotation == 270 ? panel.width() : panel.height();
    }
}
