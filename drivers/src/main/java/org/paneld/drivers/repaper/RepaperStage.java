package org.paneld.drivers.repaper;

/**
 * The stages of a repaper (COG G1/G2) image update, in order, and the 2-bit drive code each
 * gives a pixel. Codes on the wire: {@code 11} drive black, {@code 10} drive white, {@code 01}
 * (or {@code 00}) leave as is — the polarity of Pervasive's COG documents and their gratis code
 * (their clear ends with 0xAA, all pixels {@code 10}, "anything → white"). Note: the kernel's
 * repaper.c sets the image bit for light pixels (repaper_gray8_to_mono_reversed) and feeds it to
 * the same stage formulas, which by these codes would drive light pixels black; if a real panel
 * shows a negative, this method is the one place to flip. Immutable; any thread.
 */
public enum RepaperStage {
    /** Current image inverted: black pixels driven white, white pixels driven black. */
    COMPENSATE,
    /** Current image: white pixels driven white, black ones left (so everything ends white). */
    WHITE,
    /** New image: white pixels driven black, black ones left. */
    INVERSE,
    /** New image: black driven black, white driven white. */
    NORMAL;

    public static final int BLACK = 0b11, WHITE_CODE = 0b10, NOTHING = 0b01;

    /** The drive code for a pixel that is white ({@code true}) or black in this stage's image. */
    public int code(boolean white) {
        switch (this) {
            case COMPENSATE: return white ? BLACK : WHITE_CODE;
            case WHITE: return white ? WHITE_CODE : NOTHING;
            case INVERSE: return white ? BLACK : NOTHING;
            default: return white ? WHITE_CODE : BLACK;
        }
    }
}
