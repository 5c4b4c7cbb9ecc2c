package org.paneld.drivers.virtual;

/**
 * Where a controller's refresh rate comes from: {@code ILI9341} its FRMCTR1 register (B1h;
 * 70 Hz after reset), {@code ST7789} its FRCTRL2 register (C6h; 60 Hz after reset),
 * {@code FIXED} the model's refresh rate ({@link DbiModel#frameRate()}). Constants; any thread.
 */
public enum DbiFrameRate { FIXED, ILI9341, ST7789 }
