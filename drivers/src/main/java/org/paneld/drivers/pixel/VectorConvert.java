package org.paneld.drivers.pixel;

import java.nio.ByteOrder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD row loop of {@link Convert}'s XRGB8888 to RGB565_BE path, on the JDK's incubating
 * Vector API. Loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector} and
 * the CPU has vectors of at least 256 bits (x86 AVX2/AVX-512); otherwise {@link Convert} keeps its
 * scalar loop (a 128-bit NEON Pi takes the scalar path). Species are constants so that C2
 * intrinsifies the loop. Stateless; any thread.
 */
final class VectorConvert {
    private static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Byte> B512 = ByteVector.SPECIES_512;
    private static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256;
    /** Preferred vector size of this CPU, in bits. */
    static final int BITS = IntVector.SPECIES_PREFERRED.vectorBitSize();

    private VectorConvert() {
    }

    /**
     * Whether the SIMD loop runs here: 256-bit vectors or wider, little-endian memory (byte
     * vectors are reinterpreted as ints in native order; {@code IntVector.fromByteArray}, which
     * took a byte order, is gone since JDK 20), and a probe row converts like the scalar formula.
     */
    static boolean usable() {
        if (BITS < 256 || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return false;
        }
        byte[] s = new byte[64 * 4];
        byte[] d = new byte[64 * 2];
        for (int k = 0; k < s.length; k++) {
            s[k] = (byte) (k * 37 + 11);
        }
        int n = row(s, 0, d, 0, 64);
        for (int k = 0; k < n; k++) {
            int px = (s[4 * k] & 0xFF) | (s[4 * k + 1] & 0xFF) << 8 | (s[4 * k + 2] & 0xFF) << 16;
            int rgb565 = (px >> 8 & 0xF800) | (px >> 5 & 0x07E0) | (px >> 3 & 0x001F);
            if ((d[2 * k] & 0xFF) != rgb565 >> 8 || (d[2 * k + 1] & 0xFF) != (rgb565 & 0xFF)) {
                return false;
            }
        }
        return n > 0;
    }

    /**
     * Converts up to {@code n} pixels of a row from source byte {@code i} to destination byte
     * {@code o}; returns how many it converted (a whole number of vectors, the caller does the rest).
     * Each lane computes the byte-swapped RGB565 word so a little-endian store writes it high byte first.
     */
    static int row(byte[] s, int i, byte[] d, int o, int n) {
        return BITS >= 512 ? row512(s, i, d, o, n) : row256(s, i, d, o, n);
    }

    private static int row512(byte[] s, int i, byte[] d, int o, int n) {
        int k = 0;
        for (; k + 16 <= n; k += 16, i += 64, o += 32) {
            IntVector p = ByteVector.fromArray(B512, s, i).reinterpretAsInts();
            IntVector v = p.lanewise(VectorOperators.LSHR, 16).and(0xF8)
                    .or(p.lanewise(VectorOperators.LSHR, 13).and(0x07))
                    .or(p.lanewise(VectorOperators.LSHL, 3).and(0xE000))
                    .or(p.lanewise(VectorOperators.LSHL, 5).and(0x1F00));
            ((ShortVector) v.castShape(S256, 0)).reinterpretAsBytes().intoArray(d, o);
        }
        return k;
    }

    private static int row256(byte[] s, int i, byte[] d, int o, int n) {
        int k = 0;
        for (; k + 8 <= n; k += 8, i += 32, o += 16) {
            IntVector p = ByteVector.fromArray(B256, s, i).reinterpretAsInts();
            IntVector v = p.lanewise(VectorOperators.LSHR, 16).and(0xF8)
                    .or(p.lanewise(VectorOperators.LSHR, 13).and(0x07))
                    .or(p.lanewise(VectorOperators.LSHL, 3).and(0xE000))
                    .or(p.lanewise(VectorOperators.LSHL, 5).and(0x1F00));
            ((ShortVector) v.castShape(S128, 0)).reinterpretAsBytes().intoArray(d, o);
        }
        return k;
    }
}
