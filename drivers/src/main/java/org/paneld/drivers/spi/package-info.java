/**
 * The bus layer of MIPI DBI panels (and other SPI/GPIO devices): small interfaces of ours
 * ({@link org.paneld.drivers.spi.SpiPort}, {@link org.paneld.drivers.spi.GpioOutput},
 * {@link org.paneld.drivers.spi.GpioInput}, {@link org.paneld.drivers.spi.EdgeInput} (a
 * controller's TE line, edges with their time), {@link org.paneld.drivers.spi.Sleeper}), their
 * backends (Pi4J 2.8: {@link org.paneld.drivers.spi.Pi4jHardware}; others, the emulators'
 * among them, through {@link org.paneld.drivers.spi.DbiWiring} and
 * {@link org.paneld.drivers.spi.SpiWiring}) and the DBI framing on top
 * ({@link org.paneld.drivers.spi.DbiBus}: option 3 and option 1, the 16-bit shift register,
 * chunking, reads, reset, backlight).
 *
 * <p>Lifetime: everything here that touches hardware belongs to a device's hardware binding —
 * opened at probe, registered in the device's hardware scope, every call made inside the
 * device's unplug guard. This package imports only {@code core}, {@code pixel} and
 * {@code display}; it never knows an emulator or a chip driver (FloorsTest).
 */
package org.paneld.drivers.spi;
