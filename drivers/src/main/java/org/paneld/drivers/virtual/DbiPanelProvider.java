package org.paneld.drivers.virtual;

import java.util.Optional;
import java.util.Set;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.core.VirtualHardwareProvider;
import org.paneld.drivers.spi.DbiWiring;

/**
 * The virtual MIPI DBI panels ({@link VirtualDbiPanel}) of {@code backend = "virtual"}, by the
 * driver names and aliases a config uses: the controller and glass of the panel each name stands
 * for (the {@link DbiModel} presets), wired as the config says — colour order
 * ({@code bgr}) and IPS inversion ({@code invert}) of the glass, type C option 1
 * ({@code dbi_option = 1}), the Waveshare 16-bit shift register ({@code spi_16bit_shift}),
 * MISO not wired ({@code write_only}); panel-mipi-dbi's glass from {@code width}, {@code height}
 * and the RAM offsets; {@code wire_hz} (0: off) makes the emulated wire take real time, as a
 * real SPI clock would (benchmarks of what a panel at that clock can show). The driver's own checks of these keys stay the driver's. Drivers reach the
 * panel through {@link #wiring} as a {@link DbiWiring} ({@link VirtualDbiWiring}).
 *
 * <p>Registered in META-INF/services. Stateless; any thread.
 */
public final class DbiPanelProvider implements VirtualHardwareProvider {
    private static final Set<String> DRIVERS = Set.of("mi0283qt", "ili9341", "yx240qv29", "st7735r", "jd-t18003-t01", "rh128128t",
            "st7789v", "st7789", "ili9486", "rpi-lcd-35", "piscreen", "hx8357d", "yx350hv15", "ili9488", "sx035hv006",
            "panel-mipi-dbi", "panel-mipi-dbi-spi");

    @Override
    public Set<String> drivers() {
        return DRIVERS;
    }

    @Override
    public VirtualHardware create(String driver, DeviceConfig c) throws ConfigException {
        int rotation = (int) c.oneOf("rotation", 0, 0, 90, 180, 270);
        DbiModel preset;
        boolean readable = !c.bool("write_only", false);
        boolean shift16 = false;
        int view = rotation;
        switch (driver) {
            case "mi0283qt":
            case "ili9341":
                preset = DbiModel.mi0283qt();
                break;
            case "st7735r":
            case "jd-t18003-t01":
                preset = DbiModel.st7735r();
                break;
            case "rh128128t":
                preset = DbiModel.rh128128t();
                break;
            case "st7789v":
            case "st7789":
                preset = c.intValue("height", 320, 1, 0xFFFF) == 240 ? DbiModel.st7789v240x240()
                        : DbiModel.st7789v();
                break;
            case "ili9486":
            case "rpi-lcd-35":
            case "piscreen":
                shift16 = c.bool("spi_16bit_shift", true);
                preset = shift16 ? DbiModel.ili9486Waveshare() : DbiModel.ili9486();
                readable = false; // these boards do not wire MISO
                break;
            case "yx240qv29":
                preset = DbiModel.yx240qv29();
                // the kernel's ili9341.c table turns the other way from DRM's counter-clockwise convention
                view = (360 - rotation) % 360;
                break;
            case "hx8357d":
            case "yx350hv15":
                preset = DbiModel.hx8357d();
                // the kernel's hx8357d MADCTL table turns the other way round: its 90° is seen upright at 270°
                view = (360 - rotation) % 360;
                break;
            case "ili9488":
            case "sx035hv006":
                preset = DbiModel.ili9488();
                break;
            case "panel-mipi-dbi":
            case "panel-mipi-dbi-spi":
                preset = generic(c, rotation);
                break;
            default:
                throw new ConfigException(c.where() + ": key 'driver': no virtual MIPI DBI panel for '" + driver + "'");
        }
        DbiModel m = preset.toBuilder()
                .bgrPanel(c.bool("bgr", preset.bgrPanel()))
                .invertedGlass(c.bool("invert", preset.invertedGlass()))
                .option1(c.oneOf("dbi_option", 3, 3, 1) == 1)
                .shiftRegister16(shift16)
                .readable(readable && preset.readable())
                .build();
        VirtualDbiPanel panel = new VirtualDbiPanel(m);
        panel.setViewRotation(view);
        panel.setWireHz(c.intValue("wire_hz", 0, 0, 125_000_000));
        touch(c, panel, view);
        return panel;
    }

    /**
     * The board's touch controller ({@code touch.driver}; evdev has none to emulate), with the
     * conversion noise {@code touch.noise} (raw units, default 0) and, for the STMPE610 with
     * {@code touch.backlight = true}, its GPIO2 wired to the panel's backlight (the PiTFT).
     */
    private static void touch(DeviceConfig c, VirtualDbiPanel panel, int view) throws ConfigException {
        if (!c.has("touch.driver")) {
            if (c.has(TOUCH_NOISE)) {
                throw c.error(TOUCH_NOISE, "needs touch.driver (the emulated touch controller)");
            }
            return;
        }
        String driver = c.oneOf("touch.driver", null, java.util.List.of("xpt2046", "ads7846", "stmpe610", "ft6206", "ft6236", "evdev"));
        int noise = c.intValue(TOUCH_NOISE, 0, 0, 500);
        int w = panel.model().viewWidth(), h = panel.model().viewHeight();
        long seed = 0x7A11C0DEL ^ driver.hashCode();
        VirtualTouchChip chip;
        switch (driver) {
            case "xpt2046":
            case "ads7846":
                chip = new VirtualXpt2046(w, h, noise, seed);
                break;
            case "stmpe610": {
                VirtualStmpe610 s = new VirtualStmpe610(w, h, noise, seed);
                if (c.bool("touch.backlight", false)) {
                    s.setGpioListener(levels -> panel.setBacklight((levels & 0x04) != 0 ? 100 : 0));
                }
                chip = s;
                break;
            }
            case "ft6206":
                chip = new VirtualFt6236(0x06, w, h, noise, seed);
                break;
            case "ft6236":
                chip = new VirtualFt6236(0x36, w, h, noise, seed);
                break;
            default:
                if (c.has(TOUCH_NOISE)) {
                    throw c.error(TOUCH_NOISE, "evdev reads the kernel's events: there is no emulated chip to make noise");
                }
                return; // evdev: the events come from a file
        }
        chip.setViewRotation(view);
        chip.setBus(panel.spiBus());
        panel.attachTouch(chip);
    }

    /** The emulated touch controller's noise amplitude (raw units): the emulator's key, not the driver's. */
    static final String TOUCH_NOISE = "touch.noise";

    @Override
    public Set<String> configKeys() {
        return Set.of(TOUCH_NOISE);
    }

    /** panel-mipi-dbi: any controller; the glass where the RAM offsets put it. */
    private static DbiModel generic(DeviceConfig c, int rotation) throws ConfigException {
        int width = (int) c.integer("width", 1, 0xFFFF);
        int height = (int) c.integer("height", 1, 0xFFFF);
        int left = c.intValue("left_offset", 0, 0, 0xFFFF);
        int top = c.intValue("top_offset", 0, 0, 0xFFFF);
        boolean turned = rotation == 90 || rotation == 270;
        // offsets address logical columns/rows; with the init file's MADCTL turning the picture they land on GRAM rows/columns
        int gx = turned ? top : left, gy = turned ? left : top;
        return DbiModel.generic(gx + width, gy + height).toBuilder().name("panel-mipi-dbi")
                .glass(gx, gy, width, height).build();
    }

    @Override
    public <T> Optional<T> wiring(VirtualHardware hardware, Class<T> kind) {
        if (kind == DbiWiring.class && hardware instanceof VirtualDbiPanel) {
            return Optional.of(kind.cast(new VirtualDbiWiring((VirtualDbiPanel) hardware)));
        }
        if (kind == org.paneld.drivers.input.TouchWiring.class && hardware instanceof VirtualDbiPanel) {
            return ((VirtualDbiPanel) hardware).touch().map(kind::cast);
        }
        return Optional.empty();
    }
}
