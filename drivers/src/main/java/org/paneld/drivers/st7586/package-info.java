/**
 * The st7586 driver: the Sitronix ST7586 4-level grey LCD of the LEGO EV3 (178x128), after the
 * kernel's drivers/gpu/drm/tiny/st7586.c, on the MIPI DBI bus layer ({@link org.paneld.drivers.spi.DbiBus}).
 * {@link org.paneld.drivers.st7586.St7586Driver} (stateless) probes;
 * {@link org.paneld.drivers.st7586.St7586Display} lives as long as the device object, its bus
 * in the hardware binding; {@link org.paneld.drivers.st7586.St7586Pixels} is the stateless grey
 * conversion and 3-pixels-per-byte packing.
 */
package org.paneld.drivers.st7586;
