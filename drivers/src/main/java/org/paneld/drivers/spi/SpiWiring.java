package org.paneld.drivers.spi;

import java.io.IOException;
import org.paneld.drivers.core.Device;

/**
 * A backend that supplies the wires of an SPI panel that is not a MIPI DBI one (an e-paper COG):
 * the SPI port, GPIO lines by name, and the time the panel runs on. The virtual backend's
 * emulators offer it ({@code VirtualHardwareRegistry.wiring(device, SpiWiring.class)}); the
 * Pi4J path opens the same things through {@link Pi4jHardware}. Implementations register
 * whatever they open in {@code device.hardware()} and make every hardware call inside
 * {@code device.guard()}. Called at probe on the probing thread.
 */
@FunctionalInterface
public interface SpiWiring {

    /** One binding's wires. Lifetime: the hardware binding. Threads: the driver's, one at a time. */
    interface Lines {
        SpiPort spi();

        /** The output line called {@code name} (e.g. "panel-on", "reset"); an IOException names an unknown one. */
        GpioOutput output(String name) throws IOException;

        /** The input line called {@code name} (e.g. "busy"); an IOException names an unknown one. */
        GpioInput input(String name) throws IOException;

        /** The waits of power sequences on these wires. */
        Sleeper sleeper();

        /** Monotonic time in nanoseconds on these wires' clock (logical time on an emulator). */
        long nanoTime();
    }

    /** Opens the wires for {@code device}, SPI transfers at most {@code maxTransfer} bytes. */
    Lines open(Device device, int maxTransfer) throws Exception;
}
