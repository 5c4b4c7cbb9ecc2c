package org.paneld.drivers.virtual;

/**
 * The MIPI DCS command codes and MADCTL bits the DBI emulator acts on, restated from the MIPI
 * DCS specification and the Sitronix/Ilitek datasheets (the emulator's own copy: it shares no
 * constants with the drivers it judges). Constants only.
 */
final class Dcs {
    private Dcs() {
    }

    static final int NOP = 0x00;
    static final int SWRESET = 0x01;
    static final int RDDID = 0x04;
    static final int RDDST = 0x09;
    static final int RDDPM = 0x0A;
    static final int RDDMADCTL = 0x0B;
    static final int RDDCOLMOD = 0x0C;
    static final int SLPIN = 0x10;
    static final int SLPOUT = 0x11;
    static final int INVOFF = 0x20;
    static final int INVON = 0x21;
    static final int DISPOFF = 0x28;
    static final int DISPON = 0x29;
    static final int CASET = 0x2A;
    static final int RASET = 0x2B;
    static final int RAMWR = 0x2C;
    static final int TEOFF = 0x34;
    static final int TEON = 0x35;
    static final int MADCTL = 0x36;
    static final int COLMOD = 0x3A;
    static final int RAMWRC = 0x3C;

    static final int MADCTL_MY = 0x80;
    static final int MADCTL_MX = 0x40;
    static final int MADCTL_MV = 0x20;
    static final int MADCTL_BGR = 0x08;

    /** Commands that take no parameters (data after them is a stray byte). */
    static boolean takesNoParameters(int c) {
        return c == NOP || c == SWRESET || c == SLPIN || c == SLPOUT || c == DISPON || c == DISPOFF
                || c == INVON || c == INVOFF || c == TEOFF;
    }

    /** A short name for messages: the mnemonic where the emulator has one, else 0xNN. */
    static String name(int c) {
        switch (c) {
            case SWRESET: return "SWRESET";
            case SLPOUT: return "SLPOUT";
            case SLPIN: return "SLPIN";
            case CASET: return "CASET";
            case RASET: return "RASET";
            case RAMWR: return "RAMWR";
            case RAMWRC: return "RAMWRC";
            case MADCTL: return "MADCTL";
            case COLMOD: return "COLMOD";
            case TEON: return "TEON";
            default: return String.format("0x%02X", c);
        }
    }
}
