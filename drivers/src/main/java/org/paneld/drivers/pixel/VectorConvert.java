package org.paneld.drivers.pixel;

import java.nio.ByteOrder;

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
    private static final VectorSpecies<Integer> I512 = IntVector.SPECIES_512;
    private static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;
    private static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    /** Preferred vector size of this CPU, in bits. */
    static final int BITS = IntVector.SPECIES_PREFERRED.vectorBitSize();

    private VectorConvert() {
    }

    static boolean usable() {
        return BITS >= 256;
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
            IntVector p = IntVector.fromByteArray(I512, s, i, ByteOrder.LITTLE_ENDIAN);
            IntVector v = p.lanewise(VectorOperators.LSHR, 16).and(0xF8)
                    .or(p.lanewise(VectorOperators.LSHR, 13).and(0x07))
                    .or(p.lanewise(VectorOperators.LSHL, 3).and(0xE000))
                    .or(p.lanewise(VectorOperators.LSHL, 5).and(0x1F00));
            ((ShortVector) v.castShape(S256, 0)).intoByteArray(d, o, ByteOrder.LITTLE_ENDIAN);
        }
        return k;
    }

    private static int row256(byte[] s, int i, byte[] d, int o, int n) {
        int k = 0;
        for (; k + 8 <= n; k += 8, i += 32, o += 16) {
            IntVector p = IntVector.fromByteArray(I256, s, i, ByteOrder.LITTLE_ENDIAN);
            IntVector v = p.lanewise(VectorOperators.LSHR, 16).and(0xF8)
                    .or(p.lanewise(VectorOperators.LSHR, 13).and(0x07))
                    .or(p.lanewise(VectorOperators.LSHL, 3).and(0xE000))
                    .or(p.lanewise(VectorOperators.LSHL, 5).and(0x1F00));
            ((ShortVector) v.castShape(S128, 0)).intoByteArray(d, o, ByteOrder.LITTLE_ENDIAN);
        }
        return k;
    }
}
