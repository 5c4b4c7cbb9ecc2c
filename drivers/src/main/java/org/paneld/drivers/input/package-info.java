/**
 * The bus layer of input chips (touch controllers): the I2C port ({@link
 * org.paneld.drivers.input.I2cPort}, Pi4J's I2C in {@link org.paneld.drivers.input.Pi4jI2c}) and
 * {@link org.paneld.drivers.input.TouchWiring}, the wires an emulated touch controller hands a
 * driver for {@code backend = "virtual"} (its SPI port on the panel's bus, its I2C port, its
 * interrupt line). SPI ports, interrupt lines and the per-bus arbitration are
 * {@code org.paneld.drivers.spi}'s.
 *
 * <p>Lifetime: everything here that touches hardware belongs to a device's hardware binding,
 * every call inside its unplug guard. Imports only {@code core}, {@code pixel}, {@code display}
 * and {@code spi}; knows no chip driver and no emulator (FloorsTest).
 */
package org.paneld.drivers.input;
