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

    /** The sleeper to use with these wires (a virtual panel is told about waits that are skipped). */
    default Sleeper sleeper(Sleeper inner) {
        return inner;
    }
}
