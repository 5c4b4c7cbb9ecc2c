/**
 * Touch controllers, read in user space beside their panel: the XPT2046/ADS7846 and the
 * STMPE610 on the panel's SPI bus (their own chip select, sharing the bus through
 * {@link org.paneld.drivers.spi.SpiArbiter}), the FT6206/FT6236 on I2C, and a kernel driver's
 * evdev events; {@link org.paneld.drivers.touch.TouchController} samples one on its own thread,
 * filters and debounces, applies the calibration, swap/inversion and the picture's rotation
 * ({@link org.paneld.drivers.touch.TouchTransform}) and delivers
 * {@link org.paneld.drivers.display.TouchEvent}s. {@link org.paneld.drivers.touch.TouchConfig}
 * reads the panel's {@code touch.*} keys; {@link org.paneld.drivers.touch.Touch} opens a
 * controller for a panel driver at probe.
 *
 * <p>Lifetime: a controller is a resource of its display's hardware binding (hardware scope,
 * unplug guard): it is opened at probe and stopped at unbind/unplug together with the panel,
 * and never reports anything (no UP) after unplug. Imports only the buses ({@code spi},
 * {@code input}) and the floors below; panel drivers ({@code mipidbi}) import it; emulators never
 * do (FloorsTest).
 */
package org.paneld.drivers.touch;
