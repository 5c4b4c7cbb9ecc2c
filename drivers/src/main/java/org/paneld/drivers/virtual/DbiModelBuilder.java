package org.paneld.drivers.virtual;

import java.util.BitSet;
import java.util.Objects;

/**
 * Builds the description of an emulated DBI panel, a {@link DbiModel} (start from
 * {@code DbiModel.builder} or a preset's {@code toBuilder}); the glass defaults to the whole GRAM,
 * COLMOD to 0x66, reads wired, cycle times to 66 ns write / 150 ns read. One thread.
 */
public final class DbiModelBuilder {
    String name;
    int gramWidth, gramHeight;
    int glassX, glassY, glassWidth, glassHeight;
    boolean glassSet;
    int mountMadctl;
    boolean bgrPanel, invertedGlass, option1, shiftRegister16, needs18Bit;
    boolean readable = true;
    int defaultColmod = 0x66;
    int writeCycleNs = 66, readCycleNs = 150;
    final BitSet known = new BitSet(256);
    byte[] displayId = new byte[3];
    DbiFrameRate frameRate = DbiFrameRate.FIXED;
    double refreshHz = 60;
    int vblankLines = 4;

    DbiModelBuilder(String name, int gramWidth, int gramHeight) {
        this.name = Objects.requireNonNull(name, "name");
        gram(gramWidth, gramHeight);
        for (int c : DbiCommandSets.DCS) {
            known.set(c);
        }
    }

    DbiModelBuilder(DbiModel m) {
        name = m.name;
        gramWidth = m.gramWidth;
        gramHeight = m.gramHeight;
        glassX = m.glassX;
        glassY = m.glassY;
        glassWidth = m.glassWidth;
        glassHeight = m.glassHeight;
        glassSet = true;
        mountMadctl = m.mountMadctl;
        bgrPanel = m.bgrPanel;
        invertedGlass = m.invertedGlass;
        option1 = m.option1;
        shiftRegister16 = m.shiftRegister16;
        needs18Bit = m.needs18Bit;
        readable = m.readable;
        defaultColmod = m.defaultColmod;
        writeCycleNs = m.writeCycleNs;
        readCycleNs = m.readCycleNs;
        known.or(m.known);
        displayId = m.displayId.clone();
        frameRate = m.frameRate;
        refreshHz = m.refreshHz;
        vblankLines = m.vblankLines;
    }

    public DbiModelBuilder name(String n) {
        name = Objects.requireNonNull(n, "name");
        return this;
    }

    public DbiModelBuilder gram(int w, int h) {
        if (w <= 0 || h <= 0 || w > 0xFFFF || h > 0xFFFF) {
            throw new IllegalArgumentException("GRAM size " + w + "x" + h + " out of range");
        }
        gramWidth = w;
        gramHeight = h;
        if (!glassSet) {
            glassWidth = w;
            glassHeight = h;
        }
        return this;
    }

    /** The visible glass: {@code w x h} at native GRAM column {@code x}, row {@code y}. */
    public DbiModelBuilder glass(int x, int y, int w, int h) {
        glassX = x;
        glassY = y;
        glassWidth = w;
        glassHeight = h;
        glassSet = true;
        return this;
    }

    public DbiModelBuilder mount(int madctlBits) {
        mountMadctl = madctlBits;
        return this;
    }

    public DbiModelBuilder bgrPanel(boolean v) {
        bgrPanel = v;
        return this;
    }

    public DbiModelBuilder invertedGlass(boolean v) {
        invertedGlass = v;
        return this;
    }

    public DbiModelBuilder option1(boolean v) {
        option1 = v;
        return this;
    }

    public DbiModelBuilder shiftRegister16(boolean v) {
        shiftRegister16 = v;
        return this;
    }

    public DbiModelBuilder needs18Bit(boolean v) {
        needs18Bit = v;
        return this;
    }

    public DbiModelBuilder readable(boolean v) {
        readable = v;
        return this;
    }

    public DbiModelBuilder defaultColmod(int v) {
        defaultColmod = v & 0xFF;
        return this;
    }

    /**
     * The serial interface's minimum write cycle (commands and parameters) and read cycle
     * in ns, from the datasheet; 0 turns a check off. Default 66 ns / 150 ns, the
     * Sitronix parts' figures (the ILI9341 presets set 100 ns / 150 ns).
     */
    public DbiModelBuilder cycles(int writeNs, int readNs) {
        if (writeNs < 0 || readNs < 0) {
            throw new IllegalArgumentException("negative cycle time " + writeNs + "/" + readNs);
        }
        writeCycleNs = writeNs;
        readCycleNs = readNs;
        return this;
    }

    /** Adds vendor (or other) commands the controller accepts as opaque. */
    public DbiModelBuilder commands(int... codes) {
        for (int c : codes) {
            known.set(c & 0xFF);
        }
        return this;
    }

    public DbiModelBuilder displayId(int a, int b, int c) {
        displayId = new byte[] {(byte) a, (byte) b, (byte) c};
        return this;
    }

    /**
     * The display scan: which frame-rate register sets the refresh ({@code FIXED}: none, the
     * refresh is {@code hz}), and the vertical blanking in line times (front plus back porch).
     * Default: fixed 60 Hz, 4 lines.
     */
    public DbiModelBuilder scan(DbiFrameRate register, double hz, int vblank) {
        if (!(hz >= 1 && hz <= 1000) || vblank < 1 || vblank > 255) {
            throw new IllegalArgumentException(name + ": refresh " + hz + " Hz / " + vblank + " blanking lines out of range");
        }
        frameRate = java.util.Objects.requireNonNull(register, "register");
        refreshHz = hz;
        vblankLines = vblank;
        return this;
    }

    public DbiModel build() {
        if (glassX < 0 || glassY < 0 || glassWidth <= 0 || glassHeight <= 0
                || glassX + glassWidth > gramWidth || glassY + glassHeight > gramHeight) {
            throw new IllegalArgumentException(name + ": glass " + glassWidth + "x" + glassHeight + "+"
                    + glassX + "+" + glassY + " does not fit the " + gramWidth + "x" + gramHeight + " GRAM");
        }
        int d = defaultColmod & 0x07;
        if (d != 5 && d != 6) {
            throw new IllegalArgumentException(name + ": default COLMOD must be 16 or 18 bit");
        }
        return new DbiModel(this);
    }
}
