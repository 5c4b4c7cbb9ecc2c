package org.paneld.drivers.mipidbi;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;

/**
 * The checked settings of one MIPI DBI panel, read from its {@link DeviceConfig} with a driver's
 * defaults. Parsing touches no hardware and every error names the config's place and the key.
 *
 * <p>Keys (all drivers): {@code name}, {@code driver}, {@code backend} ("spi" default |
 * "virtual"), {@code rotation} (0|90|180|270, default 0), {@code spi_bus} (0), {@code spi_cs}
 * (0), {@code spi_speed_hz} (driver default), {@code spi_mode} (0–3, default 0),
 * {@code spi_cmd_speed_hz} (commands and parameters; default min(10 MHz, spi_speed_hz), at most
 * spi_speed_hz), {@code spi_read_speed_hz} (DCS reads; default min(2 MHz, spi_speed_hz)),
 * {@code spi_max_transfer} (even, 16–65536; default spidev's bufsiz read at probe, 4096 for the
 * virtual backend; more than bufsiz is refused at probe), {@code dbi_option} (3 default, or 1),
 * {@code dc_gpio} (BCM line; required for option 3 with backend "spi"), {@code reset_gpio},
 * {@code backlight_gpio}, {@code backlight_pwm} (PWM channel of pwmchip0; not together with
 * backlight_gpio), {@code bgr}, {@code invert}, {@code left_offset}, {@code top_offset} (RAM
 * offsets; default per driver and rotation), {@code width}, {@code height} (native, i.e. at
 * rotation 0; only where the driver allows), {@code init_file}, {@code format} (panel-mipi-dbi
 * only), {@code wire_hz} (virtual panels only: the emulated wire takes real time, bytes x 8 /
 * wire_hz, read by the emulator's provider), {@code spi_16bit_shift} (ili9486 only), {@code write_only} (default false: MISO is wired
 * and the conditional reset may read the power mode), {@code te_gpio} (BCM line wired to the
 * controller's tearing-effect output: enables TE and starts each window's write behind the
 * scan, see {@link TearingSync}; not set: no TE), {@code damage} ("auto" default: compare with
 * the panel's shadow and send only what changed; "client": trust the client's damage rectangles;
 * "full": whole frames, for debugging), {@code spi_transfer_cost} (the cost of one SPI transfer in
 * byte-equivalents, default {@value #DEFAULT_TRANSFER_COST}; see {@link #windowCost()}), {@code interlace}
 * ("off" default; "auto": under sustained overload a large update sends alternate rows first, see
 * {@link Interlace}). Immutable; any thread.
 */
public record PanelConfig(String name, String driver, String backend, int rotation,
                          int spiBus, int spiCs, int spiSpeedHz, int spiMode, int maxTransfer, int dbiOption,
                          int dcGpio, int resetGpio, int backlightGpio, int backlightPwm,
                          boolean bgr, boolean invert, Integer leftOffset, Integer topOffset,
                          int width, int height, Path initFile, String format, boolean shift16, boolean writeOnly,
                          int spiCmdSpeedHz, int spiReadSpeedHz, boolean maxTransferSet,
                          int teGpio, String damage, int transferCost, String interlace) {

    /** Keys every MIPI DBI driver accepts. */
    public static final Set<String> COMMON_KEYS = Set.of("name", "driver", "backend", "rotation", "spi_bus", "spi_cs",
            "spi_speed_hz", "spi_mode", "spi_max_transfer", "dbi_option", "dc_gpio", "reset_gpio", "backlight_gpio",
            "backlight_pwm", "bgr", "invert", "left_offset", "top_offset", "write_only", "spi_cmd_speed_hz",
            "spi_read_speed_hz", "wire_hz", "te_gpio", "damage", "spi_transfer_cost", "interlace");

    /** The damage modes: compare with the shadow, trust the client's rectangles, or send whole frames. */
    public static final List<String> DAMAGE_MODES = org.paneld.drivers.pixel.PanelShadow.DAMAGE_MODES;
    /** The interlace modes: alternate rows of a large update first under sustained overload, or never. */
    public static final List<String> INTERLACE_MODES = List.of("off", "auto");
    /** SPI transfers a window adds (CASET, its parameters, RASET, its parameters, RAMWR, one more data transfer). */
    public static final int TRANSFERS_PER_WINDOW = 6;

    /** No GPIO configured. */
    public static final int NONE = -1;

    public boolean virtual() {
        return "virtual".equals(backend);
    }

    /** Visible width after rotation. */
    public int visibleWidth() {
        return rotation == 90 || rotation == 270 ? height : width;
    }

    /** Visible height after rotation. */
    public int visibleHeight() {
        return rotation == 90 || rotation == 270 ? width : height;
    }

    /**
     * Reads the common keys.
     *
     * @param d          the driver's defaults
     * @param extraKeys  keys the driver adds to {@link #COMMON_KEYS}
     */
    static PanelConfig parse(DeviceConfig c, Defaults d, Set<String> extraKeys) throws ConfigException {
        java.util.Set<String> known = new java.util.HashSet<>(COMMON_KEYS);
        known.addAll(extraKeys);
        c.checkKnownKeys(known);
        String name = c.string("name", "");
        String driver = c.string("driver", d.driverName());
        String backend = c.oneOf("backend", "spi", List.of("spi", "virtual"));
        int rotation = (int) c.oneOf("rotation", 0, 0, 90, 180, 270);
        int bus = c.intValue("spi_bus", 0, 0, 6);
        int cs = c.intValue("spi_cs", 0, 0, 15);
        int speed = c.intValue("spi_speed_hz", d.speedHz(), 100_000, 125_000_000);
        int mode = c.intValue("spi_mode", 0, 0, 3);
        // the kernel's mipi_dbi: commands and parameters at <= 10 MHz, reads at <= 2 MHz
        int cmdSpeed = c.intValue("spi_cmd_speed_hz", Math.min(org.paneld.drivers.spi.DbiBus.CMD_MAX_HZ, speed),
                100_000, 125_000_000);
        if (cmdSpeed > speed) {
            throw c.error("spi_cmd_speed_hz", "must not exceed spi_speed_hz (" + speed + "), got " + cmdSpeed);
        }
        int readSpeed = c.intValue("spi_read_speed_hz", Math.min(org.paneld.drivers.spi.DbiBus.READ_MAX_HZ, speed),
                100_000, 125_000_000);
        if (readSpeed > speed) {
            throw c.error("spi_read_speed_hz", "must not exceed spi_speed_hz (" + speed + "), got " + readSpeed);
        }
        if (c.has("wire_hz") && !"virtual".equals(c.string("backend", "spi"))) {
            throw c.error("wire_hz", "only a virtual panel has a simulated wire (backend = \"virtual\")");
        }
        int max = c.intValue("spi_max_transfer", 4096, 16, 65536);
        if ((max & 1) != 0) {
            throw c.error("spi_max_transfer", "must be even (the SPI controller refuses partial 16-bit words), got " + max);
        }
        int option = (int) c.oneOf("dbi_option", 3, 3, 1);
        int dc = c.intValue("dc_gpio", NONE, 0, 53);
        int reset = c.intValue("reset_gpio", NONE, 0, 53);
        int bl = c.intValue("backlight_gpio", NONE, 0, 53);
        int pwm = c.intValue("backlight_pwm", NONE, 0, 3);
        if (bl != NONE && pwm != NONE) {
            throw c.error("backlight_pwm", "cannot be used together with backlight_gpio (" + bl + "): choose one");
        }
        int te = c.intValue("te_gpio", NONE, 0, 53);
        int[] lines = {dc, reset, bl, te};
        String[] lineKeys = {"dc_gpio", "reset_gpio", "backlight_gpio", "te_gpio"};
        for (int i = 0; i < lines.length; i++) {
            for (int j = i + 1; j < lines.length; j++) {
                if (lines[i] != NONE && lines[i] == lines[j]) {
                    throw c.error(lineKeys[j], "BCM line " + lines[j] + " is already used as " + lineKeys[i]);
                }
            }
            if (pwm != NONE && lines[i] == pwm) {
                // Pi4J 2.8 keeps one address space for GPIO lines and PWM channels
                throw c.error("backlight_pwm", "PWM channel " + pwm + " clashes with " + lineKeys[i] + " = " + lines[i]
                        + " (Pi4J 2.8 registers PWM channels and GPIO lines under one number space)");
            }
        }
        if (option == 1 && dc != NONE) {
            throw c.error("dc_gpio", "must not be set with dbi_option = 1 (option 1 carries D/C in the 9th bit)");
        }
        if (option == 3 && dc == NONE && "spi".equals(backend)) {
            throw new ConfigException(c.where() + ": missing key 'dc_gpio' (dbi_option 3 needs the D/C line)");
        }
        boolean bgr = c.bool("bgr", d.bgr());
        boolean invert = c.bool("invert", d.invert());
        Integer left = c.has("left_offset") ? c.intValue("left_offset", 0, 0, 0xFFFF) : null;
        Integer top = c.has("top_offset") ? c.intValue("top_offset", 0, 0, 0xFFFF) : null;
        int width = d.width();
        int height = d.height();
        if (extraKeys.contains("width")) {
            width = d.width() > 0 ? c.intValue("width", d.width(), 1, 0xFFFF) : (int) c.integer("width", 1, 0xFFFF);
        }
        if (extraKeys.contains("height")) {
            height = d.height() > 0 ? c.intValue("height", d.height(), 1, 0xFFFF) : (int) c.integer("height", 1, 0xFFFF);
        }
        Path initFile = null;
        if (extraKeys.contains("init_file")) {
            String f = c.string("init_file");
            if (f.isBlank()) {
                throw c.error("init_file", "must name a file");
            }
            initFile = Path.of(f);
        }
        String format = null;
        if (extraKeys.contains("format")) {
            format = c.oneOf("format", "r5g6b5", List.of("r5g6b5", "b6x2g6x2r6x2"));
        }
        boolean shift16 = extraKeys.contains("spi_16bit_shift") && c.bool("spi_16bit_shift", true);
        if (shift16 && option == 1) {
            throw c.error("spi_16bit_shift", "the 16-bit shift register needs dbi_option = 3");
        }
        long maxCoord = (long) Math.max(width, height) + Math.max(left == null ? 0 : left, top == null ? 0 : top);
        if (maxCoord > 0xFFFF) {
            throw c.error(left != null && left > 0 ? "left_offset" : "top_offset", "window end " + maxCoord + " exceeds 16 bits");
        }
        return new PanelConfig(name, driver, backend, rotation, bus, cs, speed, mode, max, option, dc, reset, bl, pwm,
                bgr, invert, left, top, width, height, initFile, format, shift16, c.bool("write_only", false),
                cmdSpeed, readSpeed, c.has("spi_max_transfer"),
                te, c.oneOf("damage", "auto", DAMAGE_MODES),
                c.intValue("spi_transfer_cost", DEFAULT_TRANSFER_COST, 0, 1_000_000),
                c.oneOf("interlace", "off", INTERLACE_MODES));
    }

    /** Default cost of one SPI transfer in byte-equivalents of pixel data (see {@link #windowCost()}). */
    public static final int DEFAULT_TRANSFER_COST = 16;

    /**
     * What one more window costs in byte-equivalents: its 11 command bytes (CASET and RASET with
     * four parameters each, RAMWR) plus {@link #TRANSFERS_PER_WINDOW} SPI transfers of
     * {@code spi_transfer_cost} each (ioctl, chip-select set-up and D/C toggle, measured in the time
     * the wire takes for that many pixel bytes).
     */
    public int windowCost() {
        return org.paneld.drivers.pixel.PanelShadow.COMMAND_BYTES + TRANSFERS_PER_WINDOW * transferCost;
    }

    /**
     * A driver's defaults.
     *
     * @param width  native width (0: the key is required)
     * @param height native height (0: the key is required)
     */
    record Defaults(String driverName, int width, int height, int speedHz, boolean bgr, boolean invert) {
    }
}
