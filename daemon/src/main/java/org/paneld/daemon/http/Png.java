package org.paneld.daemon.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.paneld.drivers.pixel.RgbImage;

/**
 * A small PNG encoder (8-bit RGB, no filter, fastest deflate): a 320x240 picture in about a
 * millisecond, with no java.awt (which would cost a 48 MB heap several megabytes). Stateless; any
 * thread.
 */
public final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Png() {
    }

    /** The picture as a PNG file. */
    public static byte[] encode(RgbImage img) {
        int w = img.width(), h = img.height();
        byte[] raw = new byte[h * (1 + 3 * w)];
        int[] rgb = img.rgb();
        int o = 0;
        for (int y = 0; y < h; y++) {
            raw[o++] = 0; // filter: none
            for (int x = 0, i = y * w; x < w; x++, i++) {
                int p = rgb[i];
                raw[o++] = (byte) (p >> 16);
                raw[o++] = (byte) (p >> 8);
                raw[o++] = (byte) p;
            }
        }
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        ByteArrayOutputStream z = new ByteArrayOutputStream(raw.length / 8 + 64);
        try {
            d.setInput(raw);
            d.finish();
            byte[] buf = new byte[16384];
            while (!d.finished()) {
                int n = d.deflate(buf);
                z.write(buf, 0, n);
            }
        } finally {
            d.end();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(z.size() + 64);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type: RGB
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] len = new byte[4];
        putInt(len, 0, data.length);
        out.writeBytes(len);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
