package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.Set;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.spi.DbiBus;

/**
 * The generic MIPI DBI panel (the kernel's tiny/panel-mipi-dbi.c): the init sequence comes from a
 * file in the kernel's firmware format ({@link InitFile}; the same {@code .bin} that works with
 * the kernel driver works here), width, height, RAM offsets, pixel format and rotation from the
 * config. Name "panel-mipi-dbi", alias "panel-mipi-dbi-spi".
 *
 * <p>Enable: conditional reset (skip everything when the panel reads back as on and reads are
 * wired), else hardware reset, 01 and its wait, then the file's entries replayed in order (an
 * entry 00 with one parameter sleeps that many milliseconds). As in the kernel the driver sends
 * no MADCTL of its own: rotation 90/270 only swaps the visible width and height, the file
 * carries the MADCTL that goes with it. The file is read and checked at config validation and
 * again at probe; a bad file (wrong magic or version, truncated entry, trailing bytes, empty)
 * refuses the bind with a message naming the file and the byte offset.
 *
 * <p>Config keys: name, driver, backend, rotation, spi_bus, spi_cs, spi_speed_hz (32 MHz),
 * spi_mode, spi_max_transfer, dbi_option, dc_gpio, reset_gpio, backlight_gpio, backlight_pwm,
 * bgr and invert (only used for the virtual backend's glass), left_offset, top_offset (0; the
 * kernel's hback-porch/vback-porch), width, height (required, native), init_file (required),
 * format ("r5g6b5" default, or "b6x2g6x2r6x2": 18-bit, bytes B, G, R), write_only (false; true
 * when MISO is not wired). Stateless; any thread.
 */
public final class PanelMipiDbiDriver extends MipiDbiDriver {

    @Override
    public String name() {
        return "panel-mipi-dbi";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("panel-mipi-dbi-spi");
    }

    @Override
    protected PanelConfig.Defaults defaults(String requestedName) {
        return new PanelConfig.Defaults(requestedName, 0, 0, 32_000_000, false, false);
    }

    @Override
    protected Set<String> extraKeys() {
        return Set.of("width", "height", "init_file", "format");
    }

    @Override
    protected void check(PanelConfig pc, DeviceConfig config) throws ConfigException {
        initFile(pc, config);
    }

    private static InitFile initFile(PanelConfig pc, DeviceConfig config) throws ConfigException {
        try {
            return InitFile.read(pc.initFile());
        } catch (ConfigException e) {
            throw new ConfigException(config.where() + ": key 'init_file': " + e.getMessage(), e);
        }
    }

    @Override
    protected WireFormat wireFormat(PanelConfig c) {
        return "b6x2g6x2r6x2".equals(c.format()) ? WireFormat.BGR666 : WireFormat.RGB565_BE;
    }

    @Override
    protected int madctl(PanelConfig c) {
        throw new UnsupportedOperationException("panel-mipi-dbi sends no MADCTL of its own: the init file carries it");
    }

    @Override
    protected void initSkipped(DbiBus bus, PanelConfig c) {
        // the kernel sends nothing when the panel was already on
    }

    @Override
    protected boolean readable(PanelConfig c) {
        return !c.writeOnly();
    }

    @Override
    protected void init(DbiBus bus, PanelConfig c) throws IOException {
        InitFile file;
        try {
            file = InitFile.read(c.initFile());
        } catch (ConfigException e) {
            throw new ConfigException("key 'init_file': " + e.getMessage(), e);
        }
        for (InitFile.Step step : file.steps()) {
            if (step instanceof InitFile.Delay) {
                bus.sleeper().sleepMillis(((InitFile.Delay) step).millis());
            } else {
                InitFile.Entry e = (InitFile.Entry) step;
                byte[] p = e.params();
                bus.commandBuf(e.command(), p, 0, p.length);
            }
        }
    }
}
