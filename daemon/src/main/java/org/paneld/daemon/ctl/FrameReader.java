package org.paneld.daemon.ctl;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads frames back to back from a byte stream: raw pixels of a fixed size and
 * {@link StreamFormat}, or — detected from the first two bytes when no format was forced — PPM
 * ({@code P6}, maxval 255) or PAM ({@code P7}, TUPLTYPE RGB or RGB_ALPHA, maxval 255) frames,
 * each with its own header ({@code grim -t ppm} in a loop, {@code ffmpeg -f image2pipe -c:v ppm}).
 * Every PPM/PAM frame must have the size of the first one (or of {@code --size} when given).
 * Anything else is a {@link MalformedStreamException} naming the frame number and the byte
 * offset. End of input exactly between two frames is the clean end ({@code null}).
 * Lifetime: one stream. Threads: one reader thread.
 */
final class FrameReader implements FrameSource {
    /** Kind of stream, known after the first frame. */
    enum Kind { RAW, PPM, PAM }

    private static final int MAX_SIDE = 16384;
    private static final int MAX_HEADER = 1024;
    /** Three frames live at once (reading, waiting, shown): 3 x 64 MiB at most. */
    static final long MAX_FRAME_BYTES = 64L << 20;

    private final InputStream in;
    private final StreamFormat rawFormat;
    private final boolean forceRaw;
    private int width;
    private int height;
    private final boolean sizeGiven;
    private Kind kind;
    private long offset;
    private long frames;
    private final byte[] one = new byte[1];
    private final boolean live;

    /**
     * @param in        the input (a BufferedInputStream: headers are read a byte at a time)
     * @param live      see {@link FrameSource#live()}
     * @param rawFormat the raw pixel layout; {@code null}: detect PPM/PAM, else raw XRGB8888
     * @param width     raw frame width (and the required PPM/PAM width when {@code sizeGiven})
     * @param height    likewise
     * @param sizeGiven whether {@code --size} was given
     */
    FrameReader(InputStream in, boolean live, StreamFormat rawFormat, int width, int height, boolean sizeGiven) {
        this.in = in;
        this.live = live;
        this.forceRaw = rawFormat != null;
        this.rawFormat = rawFormat == null ? StreamFormat.XRGB8888 : rawFormat;
        this.width = width;
        this.height = height;
        this.sizeGiven = sizeGiven;
    }

    @Override
    public boolean live() {
        return live;
    }

    Kind kind() {
        return kind;
    }

    /** Bytes consumed so far. */
    long offset() {
        return offset;
    }

    /** Frames read so far. */
    long frames() {
        return frames;
    }

    /** Reads the next frame into {@code f}; false at a clean end of input. */
    @Override
    public boolean read(Frame f) throws IOException, MalformedStreamException {
        long n = frames + 1;
        long start = offset;
        int b0 = readByte();
        if (b0 < 0) {
            return false;
        }
        if (kind == null) {
            kind = detect(b0);
        }
        StreamFormat fmt = rawFormat;
        int w = width, h = height;
        if (kind != Kind.RAW) {
            int b1 = readByte();
            if (b0 != 'P' || b1 != (kind == Kind.PPM ? '6' : '7')) {
                throw new MalformedStreamException(n, start, "not a " + kind + " header: expected '" + (kind == Kind.PPM ? "P6" : "P7")
                        + "', got " + show(b0, b1));
            }
            int[] hdr = kind == Kind.PPM ? ppmHeader(n, start) : pamHeader(n, start);
            fmt = hdr[2] == 4 ? StreamFormat.RGBA_PAM : StreamFormat.BGR888;
            if (frames == 0 && !sizeGiven) {
                width = hdr[0];
                height = hdr[1];
            } else if (hdr[0] != width || hdr[1] != height) {
                throw new MalformedStreamException(n, start, "wrong size: " + hdr[0] + "x" + hdr[1] + ", the stream is " + width + "x"
                        + height + (sizeGiven && frames == 0 ? " (--size)" : " (its first frame)"));
            }
            w = width;
            h = height;
        }
        long size = (long) w * h * fmt.bytesPerPixel;
        if (size > MAX_FRAME_BYTES) {
            throw new MalformedStreamException(n, start, w + "x" + h + " frames of " + size + " bytes: more than panelctl holds ("
                    + MAX_FRAME_BYTES + ")");
        }
        int bytes = (int) size;
        byte[] d = f.ensure(bytes);
        int pos = 0;
        if (kind == Kind.RAW) {
            d[0] = (byte) b0;
            pos = 1;
        }
        long pixelsAt = offset - pos;
        while (pos < bytes) {
            int r = in.read(d, pos, bytes - pos);
            if (r < 0) {
                throw new MalformedStreamException(n, offset, "truncated frame: the input ended after " + pos + " of " + bytes
                        + " pixel bytes (" + w + "x" + h + " " + fmt.name().replace("_PAM", "") + ", starting at byte " + pixelsAt + ")");
            }
            pos += r;
            offset += r;
        }
        f.width = w;
        f.height = h;
        f.stride = w * fmt.bytesPerPixel;
        f.format = fmt;
        f.number = n;
        frames = n;
        return true;
    }

    private Kind detect(int b0) throws IOException {
        if (forceRaw || b0 != 'P') {
            return Kind.RAW;
        }
        in.mark(1);
        int b1 = in.read();
        in.reset();
        return b1 == '6' ? Kind.PPM : b1 == '7' ? Kind.PAM : Kind.RAW;
    }

    /** P6 after the magic: width, height, maxval, one whitespace. Returns {w, h, depth 3}. */
    private int[] ppmHeader(long n, long start) throws IOException, MalformedStreamException {
        int w = headerInt(n, start, "width");
        int h = headerInt(n, start, "height");
        int max = headerInt(n, start, "maxval");
        if (max != 255) {
            throw new MalformedStreamException(n, offset, "PPM maxval " + max + " is not supported (only 255: 8 bits per sample)");
        }
        return checkSize(n, start, w, h, 3);
    }

    private int headerInt(long n, long start, String what) throws IOException, MalformedStreamException {
        int c = readByte();
        while (c == '#' || isSpace(c)) {
            if (c == '#') {
                while (c >= 0 && c != '\n') {
                    c = readHeaderByte(n, start);
                }
            }
            c = readHeaderByte(n, start);
        }
        if (c < '0' || c > '9') {
            throw new MalformedStreamException(n, offset - (c < 0 ? 0 : 1), c < 0 ? "truncated PPM header: the input ended before the " + what
                    : "garbage in the PPM header: expected the " + what + ", got " + show(c, -1));
        }
        long v = 0;
        while (c >= '0' && c <= '9') {
            v = v * 10 + (c - '0');
            if (v > MAX_SIDE * 16L) {
                throw new MalformedStreamException(n, offset, "PPM " + what + " too large");
            }
            c = readHeaderByte(n, start);
        }
        if (!isSpace(c)) {
            throw new MalformedStreamException(n, offset - 1, "garbage in the PPM header after the " + what + ": " + show(c, -1));
        }
        return (int) v;
    }

    private int readHeaderByte(long n, long start) throws IOException, MalformedStreamException {
        int c = readByte();
        if (c < 0) {
            throw new MalformedStreamException(n, offset, "truncated header: the input ended inside it");
        }
        if (offset - start > MAX_HEADER) {
            throw new MalformedStreamException(n, offset, "header longer than " + MAX_HEADER + " bytes: not a PPM/PAM frame");
        }
        return c;
    }

    /** P7 after the magic: KEY value lines up to ENDHDR. Returns {w, h, depth}. */
    private int[] pamHeader(long n, long start) throws IOException, MalformedStreamException {
        int w = -1, h = -1, depth = -1, max = -1;
        String type = null;
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = readHeaderByte(n, start);
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            String l = line.toString().trim();
            line.setLength(0);
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.equals("ENDHDR")) {
                break;
            }
            String[] kv = l.split("\\s+", 2);
            try {
                switch (kv[0]) {
                    case "WIDTH": w = Integer.parseInt(kv[1]); break;
                    case "HEIGHT": h = Integer.parseInt(kv[1]); break;
                    case "DEPTH": depth = Integer.parseInt(kv[1]); break;
                    case "MAXVAL": max = Integer.parseInt(kv[1]); break;
                    case "TUPLTYPE": type = kv.length > 1 ? kv[1] : ""; break;
                    default: throw new MalformedStreamException(n, offset, "garbage in the PAM header: '" + clip(l) + "'");
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new MalformedStreamException(n, offset, "garbage in the PAM header: '" + clip(l) + "'");
            }
        }
        if (max != 255 || (depth != 3 && depth != 4) || (type != null && !type.equals(depth == 3 ? "RGB" : "RGB_ALPHA"))) {
            throw new MalformedStreamException(n, offset, "unsupported PAM frame: DEPTH " + depth + " MAXVAL " + max + " TUPLTYPE " + type
                    + " (supported: RGB or RGB_ALPHA, MAXVAL 255)");
        }
        return checkSize(n, start, w, h, depth);
    }

    private static int[] checkSize(long n, long start, int w, int h, int depth) throws MalformedStreamException {
        if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE) {
            throw new MalformedStreamException(n, start, "frame size " + w + "x" + h + " out of range (1.." + MAX_SIDE + ")");
        }
        return new int[] {w, h, depth};
    }

    private int readByte() throws IOException {
        int r = in.read(one, 0, 1);
        while (r == 0) {
            r = in.read(one, 0, 1);
        }
        if (r < 0) {
            return -1;
        }
        offset++;
        return one[0] & 0xFF;
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    static String show(int b0, int b1) {
        StringBuilder sb = new StringBuilder("'");
        StringBuilder hex = new StringBuilder();
        for (int b : new int[] {b0, b1}) {
            if (b < 0) {
                continue;
            }
            sb.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : "?");
            hex.append(hex.length() == 0 ? "" : " ").append(String.format("%02x", b));
        }
        return sb.append("' (bytes ").append(hex).append(')').toString().replace("'' (bytes )", "the end of the input");
    }
}
