package org.paneld.drivers.virtual;

import static org.paneld.drivers.virtual.Dcs.MADCTL_MV;
import static org.paneld.drivers.virtual.Dcs.MADCTL_MX;
import static org.paneld.drivers.virtual.Dcs.MADCTL_MY;

import java.util.BitSet;

/**
 * The part a {@link VirtualDbiPanel} emulates: a controller plus glass and board wiring — GRAM
 * size, where the visible glass sits in GRAM, how the module is mounted ({@link #mountMadctl}),
 * colour-filter order, IPS inversion, the bus wiring (option 1, the Waveshare 16-bit shift
 * register), whether the controller insists on 18-bit pixels, whether reads are wired, the COLMOD
 * after reset, and the commands it knows. Immutable; any thread. Presets for the supported
 * controllers; {@link #builder} for others.
 */
public final class DbiModel {
    final String name;
    final int gramWidth, gramHeight;
    final int glassX, glassY, glassWidth, glassHeight;
    final int mountMadctl;
    final boolean bgrPanel, invertedGlass, option1, shiftRegister16, needs18Bit, readable;
    final int defaultColmod;
    final int writeCycleNs, readCycleNs;
    final BitSet known;
    final byte[] displayId;
    final DbiFrameRate frameRate;
    final double refreshHz;
    final int vblankLines;

    DbiModel(DbiModelBuilder b) {
        name = b.name;
        gramWidth = b.gramWidth;
        gramHeight = b.gramHeight;
        glassX = b.glassX;
        glassY = b.glassY;
        glassWidth = b.glassWidth;
        glassHeight = b.glassHeight;
        mountMadctl = b.mountMadctl & (MADCTL_MY | MADCTL_MX | MADCTL_MV);
        bgrPanel = b.bgrPanel;
        invertedGlass = b.invertedGlass;
        option1 = b.option1;
        shiftRegister16 = b.shiftRegister16;
        needs18Bit = b.needs18Bit;
        readable = b.readable;
        defaultColmod = b.defaultColmod;
        writeCycleNs = b.writeCycleNs;
        readCycleNs = b.readCycleNs;
        known = (BitSet) b.known.clone();
        displayId = b.displayId.clone();
        frameRate = b.frameRate;
        refreshHz = b.refreshHz;
        vblankLines = b.vblankLines;
    }

    public String name() { return name; }
    public int gramWidth() { return gramWidth; }
    public int gramHeight() { return gramHeight; }
    public int glassX() { return glassX; }
    public int glassY() { return glassY; }
    public int glassWidth() { return glassWidth; }
    public int glassHeight() { return glassHeight; }
    /** MADCTL orientation bits (MY|MX|MV) under which a logically written image is upright at rotation 0. */
    public int mountMadctl() { return mountMadctl; }
    /** The MADCTL BGR bit value that shows colours right (the glass's colour-filter order). */
    public boolean bgrPanel() { return bgrPanel; }
    /** IPS glass: colours are right with INVON, inverted with INVOFF. */
    public boolean invertedGlass() { return invertedGlass; }
    /** Wired for type C option 1 (9-bit words, no D/C line). */
    public boolean option1() { return option1; }
    /** Waveshare-style SPI-to-16-bit-parallel shift register in front of the controller. */
    public boolean shiftRegister16() { return shiftRegister16; }
    /** The controller takes only 18-bit pixels on this interface (ILI9488 on SPI). */
    public boolean needs18Bit() { return needs18Bit; }
    /** Reads are wired (MISO connected). */
    public boolean readable() { return readable; }
    public int defaultColmod() { return defaultColmod; }
    /** The serial write cycle's minimum in ns (commands and parameters); 0: not checked. */
    public int writeCycleNs() { return writeCycleNs; }
    /** The serial read cycle's minimum in ns; 0: not checked. */
    public int readCycleNs() { return readCycleNs; }
    public boolean knows(int command) { return known.get(command & 0xFF); }
    /** The register that sets the refresh rate, or FIXED. */
    public DbiFrameRate frameRate() { return frameRate; }
    /** The refresh rate when {@link #frameRate()} is FIXED. */
    public double refreshHz() { return refreshHz; }
    /** Vertical blanking in line times. */
    public int vblankLines() { return vblankLines; }

    /** Width of the upright picture at rotation 0. */
    public int viewWidth() {
        return (mountMadctl & MADCTL_MV) != 0 ? glassHeight : glassWidth;
    }

    /** Height of the upright picture at rotation 0. */
    public int viewHeight() {
        return (mountMadctl & MADCTL_MV) != 0 ? glassWidth : glassHeight;
    }

    /**
     * The MADCTL orientation bits (MY, MX, MV; no BGR) with which an image written in logical
     * order at {@code rotation} shows upright in {@code snapshot(rotation)}.
     */
    public int madctlFor(int rotation) {
        return DbiOrientation.madctlFor(this, rotation);
    }

    /**
     * The RAM offsets {x, y} a driver adds to its window (CASET/RASET) so that, with the
     * orientation bits {@code madctl}, logical 0,0 is the glass's first pixel.
     */
    public int[] ramOffset(int madctl) {
        return DbiOrientation.ramOffset(this, madctl);
    }

    public DbiModelBuilder toBuilder() {
        return new DbiModelBuilder(this);
    }

    @Override
    public String toString() {
        return name + " (GRAM " + gramWidth + "x" + gramHeight + ", glass " + glassWidth + "x" + glassHeight
                + "+" + glassX + "+" + glassY + ")";
    }

    public static DbiModelBuilder builder(String name, int gramWidth, int gramHeight) {
        return new DbiModelBuilder(name, gramWidth, gramHeight);
    }

    // ------------------------------------------------------------ presets (DbiPresets)

    /**
     * Multi-Inno MI0283QT: ILI9341, 240x320 GRAM and glass, used as 320x240 (mount MV|MY|MX), BGR
     * glass. The ILI9341's serial write cycle is 100 ns (10 MHz; datasheet V1.11, "Serial
     * interface characteristics": tscycw 100 ns, tscycr 150 ns), which is why the kernel caps
     * commands at 10 MHz.
     */
    public static DbiModel mi0283qt() {
        return DbiPresets.mi0283qt();
    }

    /** ILI9341 as on the mi0283qt (the REFERENCE's init sequence). */
    public static DbiModel ili9341() {
        return DbiPresets.ili9341();
    }

    /** Adafruit yx240qv29 (kernel ili9341.c): 240x320 portrait, mount MX, BGR glass. */
    public static DbiModel yx240qv29() {
        return DbiPresets.yx240qv29();
    }

    /** ST7735R jd-t18003-t01 (Adafruit 1.8"): GRAM strapped to 128x160, mount MX|MY, RGB glass, write-only. */
    public static DbiModel st7735r() {
        return DbiPresets.st7735r();
    }

    /** ST7735R with the full 132x162 GRAM and a 128x160 glass at 2,1 (the common "green tab" boards). */
    public static DbiModel st7735rOffset() {
        return DbiPresets.st7735rOffset();
    }

    /** Okaya rh128128t on ST7735R: 132x162 GRAM, 128x128 glass at 2,31 (kernel offsets 2,3 at rotation 0), BGR bit set. */
    public static DbiModel rh128128t() {
        return DbiPresets.rh128128t();
    }

    /** ST7789V 240x320 IPS: needs INVON, RGB glass, mount 0. */
    public static DbiModel st7789v() {
        return DbiPresets.st7789v();
    }

    /** ST7789V with a 240x240 IPS glass at the top of the 240x320 GRAM (y offset 80 when turned 180°). */
    public static DbiModel st7789v240x240() {
        return DbiPresets.st7789v240x240();
    }

    /** ILI9486 (plain SPI wiring): 320x480, mount MV|MY|MX (kernel's 480x320), BGR glass. */
    public static DbiModel ili9486() {
        return DbiPresets.ili9486();
    }

    /** ILI9486 on a Waveshare rpi-lcd-35 / PiScreen: the 16-bit shift register, reads not wired. */
    public static DbiModel ili9486Waveshare() {
        return DbiPresets.ili9486Waveshare();
    }

    /** HX8357D (Adafruit yx350hv15): 320x480, mount MX|MY, RGB as the kernel sets it (SETPANEL). */
    public static DbiModel hx8357d() {
        return DbiPresets.hx8357d();
    }

    /** ILI9488 on SPI: 320x480, 18-bit pixels only, mount MX, BGR glass. */
    public static DbiModel ili9488() {
        return DbiPresets.ili9488();
    }

    /** Any MIPI DBI controller of this GRAM size; knows every DCS command and opaque vendor commands 0xB0..0xFF. */
    public static DbiModel generic(int gramWidth, int gramHeight) {
        return DbiPresets.generic(gramWidth, gramHeight);
    }
}
