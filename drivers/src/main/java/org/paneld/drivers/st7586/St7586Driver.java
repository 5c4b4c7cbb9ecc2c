package org.paneld.drivers.st7586;

import java.util.List;
import java.util.Set;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.VirtualHardwareRegistry;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.spi.DbiBus;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.Pi4jHardware;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.spi.SpiPort;

/**
 * The st7586 driver ("st7586", alias "ev3-lcd"): the Sitronix ST7586 4-level grey LCD controller
 * as on the LEGO MINDSTORMS EV3 (178x128 visible), like the kernel's drivers/gpu/drm/tiny/st7586.c.
 * Config keys: {@code backend} ("spi" default | "virtual"), {@code rotation} (0, 90, 180, 270;
 * see {@link St7586Display}), {@code spi_bus}, {@code spi_cs}, {@code spi_speed_hz} (default
 * 10 MHz), {@code spi_mode}, {@code spi_max_transfer}, {@code dc_gpio} (the A0 line) and
 * {@code reset_gpio} (both required with backend "spi"), {@code damage} ("auto" default, "client",
 * "full": as for MIPI DBI panels; the shadow's grain is one column byte, 3 pixels). The bus is a MIPI DBI type C option 3
 * {@link DbiBus}; reads are not wired (the controller cannot be read over SPI). With backend
 * "virtual" the wires are the {@link DbiWiring} that {@link VirtualHardwareRegistry} finds for
 * the attached emulator (this driver does not know it); a {@code DbiWiring} attached to the bus
 * device is used first. Stateless; any thread.
 */
public final class St7586Driver implements Driver {
    static final Set<String> KEYS = Set.of("name", "driver", "backend", "rotation", "spi_bus", "spi_cs", "spi_speed_hz",
            "spi_mode", "spi_max_transfer", "dc_gpio", "reset_gpio", "damage");

    /** A checked configuration. */
    record Config(boolean virtual, int rotation, int bus, int cs, int speed, int mode, int maxTransfer, int dc, int reset,
                  String damage) {
    }

    static Config parse(DeviceConfig c) throws ConfigException {
        c.checkKnownKeys(KEYS);
        boolean virtual = c.oneOf("backend", "spi", List.of("spi", "virtual")).equals("virtual");
        int rotation = (int) c.oneOf("rotation", 0, 0, 90, 180, 270);
        int bus = c.intValue("spi_bus", 0, 0, 6);
        int cs = c.intValue("spi_cs", 0, 0, 15);
        int speed = c.intValue("spi_speed_hz", 10_000_000, 100_000, 50_000_000);
        int mode = c.intValue("spi_mode", 0, 0, 3);
        int max = c.intValue("spi_max_transfer", 4096, 16, 65536);
        if ((max & 1) != 0) {
            throw c.error("spi_max_transfer", "must be even, got " + max);
        }
        int dc = c.intValue("dc_gpio", -1, 0, 53);
        int reset = c.intValue("reset_gpio", -1, 0, 53);
        if (!virtual) {
            if (dc < 0) {
                throw c.error("dc_gpio", "missing; backend \"spi\" needs the BCM number of the A0 (D/C) line");
            }
            if (reset < 0) {
                throw c.error("reset_gpio", "missing; backend \"spi\" needs the BCM number of the reset line");
            }
        }
        return new Config(virtual, rotation, bus, cs, speed, mode, max, dc, reset,
                c.oneOf("damage", "auto", org.paneld.drivers.pixel.PanelShadow.DAMAGE_MODES));
    }

    @Override
    public String name() {
        return "st7586";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("ev3-lcd");
    }

    @Override
    public void validate(DeviceConfig config) throws ConfigException {
        parse(config);
    }

    @Override
    public Display probe(Device device) throws Exception {
        Config c = parse(device.config());
        SpiPort spi;
        GpioOutput dc, reset;
        Sleeper sleeper;
        DbiWiring wiring = device.busDevice().attachment(DbiWiring.class).orElse(null);
        if (wiring == null && c.virtual()) {
            wiring = VirtualHardwareRegistry.standard().wiring(device, DbiWiring.class);
        }
        if (wiring != null) {
            DbiWiring.Lines l = wiring.open(device, c.maxTransfer(), false);
            spi = l.spi();
            dc = l.dc();
            reset = l.reset();
            sleeper = wiring.sleeper(Sleeper.SYSTEM);
        } else {
            Pi4jHardware hw = new Pi4jHardware(device, Pi4jHardware.contextOf(device));
            // commands at min(10 MHz, speed) as the kernel's mipi_dbi (pixel data at spi_speed_hz)
            spi = hw.openSpi(c.bus(), c.cs(), c.speed(), c.mode(), c.maxTransfer(),
                    Math.min(DbiBus.CMD_MAX_HZ, c.speed()));
            dc = hw.openOutput("dc", c.dc(), false);
            reset = hw.openOutput("reset", c.reset(), true);
            sleeper = Sleeper.SYSTEM;
        }
        DbiBus dbi = new DbiBus(spi, dc, reset, null, DbiBus.Option.D_C_GPIO, false, false, sleeper);
        return new St7586Display(dbi, c.rotation(), c.damage());
    }
}
