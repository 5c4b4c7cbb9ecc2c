package org.paneld.drivers.repaper;

/**
 * Builds the bytes of one COG line (what goes to register 0x0a) for a panel geometry: an
 * optional leading 0x00, the pixel drive codes and the scan byte that selects the line, in the
 * panel's order (data-scan-data, or scan-data-scan), and the border byte. Follows the layout
 * of the kernel's repaper.c:
 * <ul>
 * <li>data-scan-data: the "odd" block (pixels 0, 2, 4 … from the right: group g = last … 0,
 *     byte = codes of pixels 8g, 8g+2, 8g+4, 8g+6 in bit pairs 1-0, 3-2, 5-4, 7-6), the scan
 *     bytes (last byte first; line L is pair {@code L & 3} of byte {@code L / 4}), then the
 *     "even" block (group g = 0 … last, codes of pixels 8g+1, 8g+3, 8g+5, 8g+7 in pairs 7-6,
 *     5-4, 3-2, 1-0);</li>
 * <li>scan-data-scan: scan bytes for odd lines (byte {@code L / 8}, {@code 0xC0 >> (L & 6)}),
 *     the pixels (group g = last … 0, pixels 8g+7 … 8g+4 then 8g+3 … 8g+0, pair 7-6 first),
 *     scan bytes for even lines (last byte first, {@code 0x03 << (L & 6)}).</li>
 * </ul>
 * Images are 1 bit per pixel, MSB first, 1 = white. Lifetime: the hardware binding (one per
 * {@link RepaperCog}). Threads: the refresh worker only (owns a line buffer).
 */
public final class RepaperLineEncoder {
    /** A line number that selects no scan line (the "nothing" and dummy lines). */
    public static final int NO_LINE = 0x7fff;

    private final RepaperPanel panel;
    private final int[] codes;
    private final byte[] buf;

    public RepaperLineEncoder(RepaperPanel panel) {
        this.panel = panel;
        this.codes = new int[panel.width()];
        this.buf = new byte[panel.lineBytes()];
    }

    public RepaperPanel panel() {
        return panel;
    }

    /** The buffer {@link #encode} fills. */
    public byte[] buffer() {
        return buf;
    }

    /**
     * Encodes line {@code line} (or {@link #NO_LINE}) for {@code stage}. With {@code image == null}
     * every data byte is {@code fixedByte}; otherwise each pixel gets the stage's code for its
     * bit in {@code image}, or "nothing" where {@code mask} (the image the panel shows) has the same
     * bit. Returns the length (always {@link RepaperPanel#lineBytes()}).
     */
    public int encode(int line, byte[] image, int fixedByte, byte[] mask, RepaperStage stage) {
        int w = panel.width();
        if (image != null) {
            int stride = w / 8;
            int o = line * stride;
            for (int x = 0; x < w; x++) {
                int bit = 0x80 >> (x & 7);
                boolean white = (image[o + (x >> 3)] & bit) != 0;
                if (mask != null && ((mask[o + (x >> 3)] & bit) != 0) == white) {
                    codes[x] = RepaperStage.NOTHING;
                } else {
                    codes[x] = stage.code(white);
                }
            }
        }
        int groups = w / 8;
        int bps = panel.bytesPerScan();
        int p = 0;
        if (panel.preBorderByte()) {
            buf[p++] = 0;
        }
        if (panel.middleScan()) {
            for (int g = groups - 1; g >= 0; g--) {
                buf[p++] = image == null ? (byte) fixedByte : (byte) (codes[8 * g] | codes[8 * g + 2] << 2
                        | codes[8 * g + 4] << 4 | codes[8 * g + 6] << 6);
            }
            for (int b = bps - 1; b >= 0; b--) {
                buf[p++] = (byte) (line != NO_LINE && line / 4 == b ? 0x03 << (2 * (line & 3)) : 0);
            }
            for (int g = 0; g < groups; g++) {
                buf[p++] = image == null ? (byte) fixedByte : (byte) (codes[8 * g + 1] << 6 | codes[8 * g + 3] << 4
                        | codes[8 * g + 5] << 2 | codes[8 * g + 7]);
            }
        } else {
            for (int b = 0; b < bps; b++) {
                buf[p++] = (byte) (line != NO_LINE && (line & 1) != 0 && line / 8 == b ? 0xc0 >> (line & 6) : 0);
            }
            for (int g = groups - 1; g >= 0; g--) {
                if (image == null) {
                    buf[p++] = (byte) fixedByte;
                    buf[p++] = (byte) fixedByte;
                } else {
                    buf[p++] = (byte) (codes[8 * g + 7] << 6 | codes[8 * g + 6] << 4 | codes[8 * g + 5] << 2 | codes[8 * g + 4]);
                    buf[p++] = (byte) (codes[8 * g + 3] << 6 | codes[8 * g + 2] << 4 | codes[8 * g + 1] << 2 | codes[8 * g]);
                }
            }
            for (int b = bps - 1; b >= 0; b--) {
                buf[p++] = (byte) (line != NO_LINE && (line & 1) == 0 && line / 8 == b ? 0x03 << (line & 6) : 0);
            }
        }
        switch (panel.borderByte()) {
            case ZERO:
                buf[p++] = 0;
                break;
            case SET:
                buf[p++] = (byte) (stage == RepaperStage.NORMAL ? 0xaa : 0x00);
                break;
            default:
                break;
        }
        return p;
    }
}
