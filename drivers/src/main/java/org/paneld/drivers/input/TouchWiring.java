package org.paneld.drivers.input;

import org.paneld.drivers.core.Device;
import org.paneld.drivers.spi.IrqLine;
import org.paneld.drivers.spi.SpiPort;

/**
 * The wires of an emulated touch controller (backend "virtual"), as a touch driver finds them
 * through {@code VirtualHardwareRegistry.wiring(device, TouchWiring.class)}: its SPI port (on the
 * panel's virtual bus, its own chip select), its I2C port, its interrupt line. A controller
 * offers the faces it has; the others throw an IOException naming what is missing.
 * Implementations register what they open in {@code device.hardware()} and make every hardware
 * call inside {@code device.guard()}. Called at probe on the probing thread.
 */
public interface TouchWiring {

    /** The chip the emulator plays, e.g. "xpt2046" (drivers check it against their config). */
    String chip();

    /** The controller's SPI port at {@code speedHz} (transfers carry their clock). */
    SpiPort openSpi(Device device, int speedHz) throws Exception;

    /** The controller's I2C port. */
    I2cPort openI2c(Device device) throws Exception;

    /** The controller's interrupt line (PENIRQ / INT, active low). */
    IrqLine openIrq(Device device) throws Exception;

    /** The emulator's virtual finger, which {@code TouchInput.simulator()} hands out. */
    default java.util.Optional<org.paneld.drivers.display.TouchSimulator> simulator() {
        return java.util.Optional.empty();
    }
}
