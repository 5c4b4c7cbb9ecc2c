/**
 * MIPI DBI panels (the kernel's drm_mipi_dbi.c and tiny drivers): the common core
 * ({@link org.paneld.drivers.mipidbi.MipiDbiDriver}, {@link org.paneld.drivers.mipidbi.MipiDbiDisplay},
 * {@link org.paneld.drivers.mipidbi.PanelConfig}, {@link org.paneld.drivers.mipidbi.WireFormat}),
 * the drivers ({@link org.paneld.drivers.mipidbi.Mi0283qtDriver},
 * {@link org.paneld.drivers.mipidbi.St7735rDriver}, {@link org.paneld.drivers.mipidbi.St7789vDriver},
 * {@link org.paneld.drivers.mipidbi.Ili9486Driver}, {@link org.paneld.drivers.mipidbi.Hx8357dDriver},
 * {@link org.paneld.drivers.mipidbi.Ili9488Driver}, {@link org.paneld.drivers.mipidbi.PanelMipiDbiDriver})
 * and the panel-mipi-dbi init file reader ({@link org.paneld.drivers.mipidbi.InitFile}).
 *
 * <p>Lifetimes: drivers are stateless; a {@code MipiDbiDisplay} lives as long as its device
 * object, while its bus and transfer thread belong to the hardware binding (hardware scope).
 */
package org.paneld.drivers.mipidbi;
