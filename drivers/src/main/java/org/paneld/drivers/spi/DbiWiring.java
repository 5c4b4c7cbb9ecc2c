package org.paneld.drivers.spi;

import org.paneld.drivers.core.Device;

/**
 * A backend that supplies the wires of a MIPI DBI panel: the SPI port and the D/C, reset and
 * backlight lines. Pi4J ({@link Pi4jHardware}) and the virtual panel are the built-in ones; a
 * bus device may carry another as an attachment under {@code DbiWiring.class} (an FFM-based
 * SPI backend, a timed bus for benchmarks), which the MIPI DBI drivers then use instead.
 * Implementations register whatever they open in {@code device.hardware()} and make every
 * hardware call inside {@code device.guard()}. Stateless or per bus device; called at probe on
 * the probing thread.
 */
@FunctionalInterface
public interface DbiWiring {

    /** The opened wires; {@code dc} is null for option 1, {@code reset}/{@code backlight} when absent. */
    record Lines(SpiPort spi, GpioOutput dc, GpioOutput reset, GpioOutput backlight) {
    }

    /**
     * Opens the wires for {@code device}.
     *
     * @param maxTransfer the configured largest single transfer
     * @param option1     true when the panel speaks type C option 1 (no D/C line)
     */
    Lines open(Device device, int maxTransfer, boolean option1) throws Exception;

    /**
     * Opens the controller's tearing-effect output, wired to BCM line {@code bcm} on real
     * hardware ({@code te_gpio}); an emulator gives its own TE line and ignores the number.
     * Registers what it opens in {@code device.hardware()}.
     *
     * @throws Exception (EOPNOTSUPP by default) when this backend has no TE line
     */
    default EdgeInput openTearing(Device device, int bcm) throws Exception {
        throw new org.paneld.drivers.core.DeviceException(org.paneld.drivers.core.Errno.EOPNOTSUPP,
                device.name() + ": these wires bring out no TE line (te_gpio = " + bcm + ")");
    }

    /** The sleeper to use with these wires (a virtual panel is told about waits that are skipped). */
    default Sleeper sleeper(Sleeper inner) {
        return inner;
    }
}
