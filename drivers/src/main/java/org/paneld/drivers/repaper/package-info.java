/**
 * The repaper driver: Pervasive Displays e-paper panels (1.44", 1.9", 2.0", 2.7") with the COG G2
 * driver chip, after the kernel's drivers/gpu/drm/tiny/repaper.c. {@link org.paneld.drivers.repaper.RepaperDriver}
 * (stateless) probes; {@link org.paneld.drivers.repaper.RepaperDisplay} lives as long as the device
 * object; {@link org.paneld.drivers.repaper.RepaperCog}, the ports and the refresh worker belong to
 * the hardware binding (the device's hardware scope). Conversion to black and white:
 * {@link org.paneld.drivers.repaper.MonoConverter}.
 */
package org.paneld.drivers.repaper;
