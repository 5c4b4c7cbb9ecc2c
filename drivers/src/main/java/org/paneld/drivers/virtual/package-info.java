/**
 * The emulators' side of the house: virtual hardware for {@code backend = "virtual"} — the
 * MIPI DBI controller ({@link org.paneld.drivers.virtual.VirtualDbiPanel}), the ST7586
 * ({@link org.paneld.drivers.virtual.VirtualSt7586}), the repaper COG
 * ({@link org.paneld.drivers.virtual.VirtualRepaper}), the GUD device
 * ({@link org.paneld.drivers.virtual.VirtualGudDevice}, with
 * {@link org.paneld.drivers.virtual.VirtualGudHotplug}) and the plain framebuffer
 * ({@link org.paneld.drivers.virtual.VirtualFb}, with its driver {@code virtual-fb}), and the touch
 * controllers that sit on a virtual panel ({@link org.paneld.drivers.virtual.VirtualXpt2046},
 * {@link org.paneld.drivers.virtual.VirtualStmpe610}, {@link org.paneld.drivers.virtual.VirtualFt6236},
 * sharing the panel's {@link org.paneld.drivers.virtual.VirtualSpiBus}).
 *
 * <p>Each emulator is a referee written from its chip's datasheet or reference firmware, with its
 * own constants and decoding: it may use the bus interfaces it plugs into ({@code spi},
 * {@code usb}), {@code core} and {@code pixel}'s plain types, never a chip driver's package
 * ({@code mipidbi}, {@code st7586}, {@code repaper}, {@code gud}); the drivers never import this
 * package either. They meet through {@link org.paneld.drivers.core.VirtualHardwareProvider}s
 * listed in {@code META-INF/services} ({@link org.paneld.drivers.virtual.DbiPanelProvider},
 * {@link org.paneld.drivers.virtual.St7586Provider},
 * {@link org.paneld.drivers.virtual.RepaperProvider},
 * {@link org.paneld.drivers.virtual.GudDeviceProvider},
 * {@link org.paneld.drivers.virtual.VirtualFbProvider}), which make a panel from a config and
 * hand a driver its wires ({@link org.paneld.drivers.virtual.VirtualDbiWiring} …). The rules are
 * tests (FloorsTest).
 *
 * <p>Lifetimes: an emulated panel lives with its bus device and outlives bindings, like a real
 * one; a driver's connection to it is a hardware-scope resource of one binding.
 */
package org.paneld.drivers.virtual;
