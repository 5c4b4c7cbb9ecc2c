package org.paneld.daemon.ctl;

import java.util.Locale;

/**
 * The pixel layouts {@code panelctl stream} reads, named as DRM fourccs (what paneld and the
 * kernel call them) with the byte order in memory and the matching ffmpeg {@code -pix_fmt}.
 * DRM names the bits of a little-endian word, ffmpeg names the bytes in memory, so the names
 * look reversed:
 * <ul>
 * <li>{@link #XRGB8888}: bytes B, G, R, X — ffmpeg {@code bgra} or {@code bgr0}; also a
 *     32 bpp /dev/fb0.</li>
 * <li>{@link #RGB565}: 16-bit little-endian words rrrrrggg gggbbbbb — ffmpeg {@code rgb565le};
 *     also a 16 bpp /dev/fb0.</li>
 * <li>{@link #RGB888}: bytes B, G, R — ffmpeg {@code bgr24}.</li>
 * <li>{@link #BGR888}: bytes R, G, B — ffmpeg {@code rgb24}; the layout of PPM (P6) pixels.</li>
 * <li>{@link #RGBA_PAM}: bytes R, G, B, A — a PAM (P7) {@code RGB_ALPHA} stream (alpha ignored);
 *     not selectable with {@code --format}.</li>
 * </ul>
 * Immutable; any thread.
 */
enum StreamFormat {
    XRGB8888(4), RGB565(2), RGB888(3), BGR888(3), RGBA_PAM(4);

    final int bytesPerPixel;

    StreamFormat(int bpp) {
        this.bytesPerPixel = bpp;
    }

    /** The formats {@code --format} accepts, for messages. */
    static final String CHOICES = "XRGB8888, RGB565, RGB888, BGR888";

    /** Parses a {@code --format} value (case-insensitive). */
    static StreamFormat parse(String s) {
        String u = s.toUpperCase(Locale.ROOT);
        for (StreamFormat f : values()) {
            if (f != RGBA_PAM && f.name().equals(u)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--format: unknown pixel format '" + s + "' (one of " + CHOICES + ")");
    }
}
