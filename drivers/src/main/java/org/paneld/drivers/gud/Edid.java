package org.paneld.drivers.gud;

/**
 * The part of an EDID block a GUD host needs: the preferred timing (first detailed timing
 * descriptor) as a display mode, and the physical size. Immutable; any thread.
 */
record Edid(GudProtocol.Mode mode, int widthMm, int heightMm) {

    private static final byte[] HEADER = {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0};

    /** Parses the base block of {@code buf}; null when it is not a valid EDID or has no detailed timing. */
    static Edid parse(byte[] buf, int len) {
        if (len < 128) {
            return null;
        }
        for (int i = 0; i < HEADER.length; i++) {
            if (buf[i] != HEADER[i]) {
                return null;
            }
        }
        int sum = 0;
        for (int i = 0; i < 128; i++) {
            sum += buf[i] & 0xFF;
        }
        if ((sum & 0xFF) != 0) {
            return null;
        }
        int b = 54;
        int clock10k = u(buf, b) | u(buf, b + 1) << 8;
        if (clock10k == 0) {
            return null;
        }
        int hactive = u(buf, b + 2) | (u(buf, b + 4) & 0xF0) << 4;
        int hblank = u(buf, b + 3) | (u(buf, b + 4) & 0x0F) << 8;
        int vactive = u(buf, b + 5) | (u(buf, b + 7) & 0xF0) << 4;
        int vblank = u(buf, b + 6) | (u(buf, b + 7) & 0x0F) << 8;
        int hso = u(buf, b + 8) | (u(buf, b + 11) & 0xC0) << 2;
        int hspw = u(buf, b + 9) | (u(buf, b + 11) & 0x30) << 4;
        int vso = u(buf, b + 10) >> 4 | (u(buf, b + 11) & 0x0C) << 2;
        int vspw = u(buf, b + 10) & 0x0F | (u(buf, b + 11) & 0x03) << 4;
        int wmm = u(buf, b + 12) | (u(buf, b + 14) & 0xF0) << 4;
        int hmm = u(buf, b + 13) | (u(buf, b + 14) & 0x0F) << 8;
        GudProtocol.Mode m = new GudProtocol.Mode(clock10k * 10L, hactive, hactive + hso, hactive + hso + hspw,
                hactive + hblank, vactive, vactive + vso, vactive + vso + vspw, vactive + vblank,
                GudProtocol.MODE_FLAG_PREFERRED);
        return new Edid(m, wmm, hmm);
    }

    private static int u(byte[] b, int i) {
        return b[i] & 0xFF;
    }
}
