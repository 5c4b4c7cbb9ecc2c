package org.paneld.drivers.repaper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The line encoder against an independent oracle written in the kernel's terms: the kernel's
 * repaper.c works on LSB-first bytes whose bit, in the stage formulas, selects the "black" code
 * (11 in the normal stage), and builds lines with its own bit arithmetic (interleaving, pair
 * swaps, 0x55/0xAA masks). The oracle re-states that arithmetic; the encoder places per-pixel
 * codes. Same bytes for every panel, stage, mask and scan line.
 */
class RepaperLineEncoderTest {

    /** The kernel-side image: LSB first, bit set = the pixel the normal stage drives with 11 (black). */
    private static byte[] kernelImage(byte[] ours, int w, int h) {
        byte[] k = new byte[w / 8 * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean white = (ours[y * (w / 8) + x / 8] & 0x80 >> (x & 7)) != 0;
                if (!white) {
                    k[y * (w / 8) + x / 8] |= (byte) (1 << (x & 7));
                }
            }
        }
        return k;
    }

    private static int stageEven(RepaperStage s, int p) { // p = data & 0xaa
        switch (s) {
            case COMPENSATE: return 0xaa | ((p ^ 0xaa) >> 1);
            case WHITE: return 0x55 + ((p ^ 0xaa) >> 1);
            case INVERSE: return 0x55 | (p ^ 0xaa);
            default: return 0xaa | (p >> 1);
        }
    }

    private static int stageOdd(RepaperStage s, int p) { // p = data & 0x55
        switch (s) {
            case COMPENSATE: return 0xaa | (p ^ 0x55);
            case WHITE: return 0x55 + (p ^ 0x55);
            case INVERSE: return 0x55 | ((p ^ 0x55) << 1);
            default: return 0xaa | p;
        }
    }

    private static int stageAll(RepaperStage s, int p) { // p = interleaved, 16 bits
        switch (s) {
            case COMPENSATE: return 0xaaaa | (p ^ 0x5555);
            case WHITE: return 0x5555 + (p ^ 0x5555);
            case INVERSE: return 0x5555 | ((p ^ 0x5555) << 1);
            default: return 0xaaaa | p;
        }
    }

    private static int interleave(int v) {
        v = (v | v << 4) & 0x0f0f;
        v = (v | v << 2) & 0x3333;
        return (v | v << 1) & 0x5555;
    }

    /** The oracle: one line as the kernel's repaper_one_line builds it. */
    static byte[] oracle(RepaperPanel panel, int line, byte[] data, int fixed, byte[] mask, RepaperStage stage) {
        int w = panel.width(), groups = w / 8, bps = panel.bytesPerScan();
        byte[] out = new byte[panel.lineBytes()];
        int p = 0;
        if (panel.preBorderByte()) {
            out[p++] = 0;
        }
        if (panel.middleScan()) {
            for (int b = groups; b > 0; b--) { // odd pixels (0x55), right to left
                if (data == null) {
                    out[p++] = (byte) fixed;
                    continue;
                }
                int px = data[b - 1] & 0x55, m = 0xff;
                if (mask != null) {
                    m = ((mask[b - 1] & 0xff) ^ px) & 0x55;
                    m |= m << 1;
                }
                int v = stageOdd(stage, px) & 0xff;
                out[p++] = (byte) ((v & m) | (~m & 0x55));
            }
            for (int b = bps; b > 0; b--) {
                out[p++] = (byte) (line / 4 == b - 1 ? 0x03 << (2 * (line & 3)) : 0);
            }
            for (int b = 0; b < groups; b++) { // even pixels (0xaa), left to right, pairs swapped
                if (data == null) {
                    out[p++] = (byte) fixed;
                    continue;
                }
                int px = data[b] & 0xaa, m = 0xff;
                if (mask != null) {
                    m = ((mask[b] & 0xff) ^ px) & 0xaa;
                    m |= m >> 1;
                }
                int v = stageEven(stage, px) & 0xff;
                v = (v & m) | (~m & 0x55);
                int p1 = v >> 6 & 3, p2 = v >> 4 & 3, p3 = v >> 2 & 3, p4 = v & 3;
                out[p++] = (byte) (p1 | p2 << 2 | p3 << 4 | p4 << 6);
            }
        } else {
            for (int b = 0; b < bps; b++) {
                out[p++] = (byte) ((line & 1) != 0 && line / 8 == b ? 0xc0 >> (line & 6) : 0);
            }
            for (int b = groups; b > 0; b--) {
                if (data == null) {
                    out[p++] = (byte) fixed;
                    out[p++] = (byte) fixed;
                    continue;
                }
                int px = interleave(data[b - 1] & 0xff), m = 0xffff;
                if (mask != null) {
                    m = (interleave(mask[b - 1] & 0xff) ^ px) & 0x5555;
                    m |= m << 1;
                }
                int v = stageAll(stage, px) & 0xffff;
                v = (v & m) | (~m & 0x5555);
                out[p++] = (byte) (v >> 8);
                out[p++] = (byte) v;
            }
            for (int b = bps; b > 0; b--) {
                out[p++] = (byte) ((line & 1) == 0 && line / 8 == b - 1 ? 0x03 << (line & 6) : 0);
            }
        }
        if (panel.borderByte() == RepaperPanel.BorderByte.ZERO) {
            out[p++] = 0;
        } else if (panel.borderByte() == RepaperPanel.BorderByte.SET) {
            out[p++] = (byte) (stage == RepaperStage.NORMAL ? 0xaa : 0);
        }
        return Arrays.copyOf(out, p);
    }

    @Test
    void everyPanelStageMaskAndLineMatchesTheKernelArithmetic() {
        Random r = new Random(11);
        for (RepaperPanel panel : RepaperPanel.values()) {
            int w = panel.width(), h = panel.height(), stride = w / 8;
            RepaperLineEncoder enc = new RepaperLineEncoder(panel);
            for (int round = 0; round < 3; round++) {
                byte[] img = new byte[stride * h], old = new byte[stride * h];
                r.nextBytes(img);
                r.nextBytes(old);
                byte[] kImg = kernelImage(img, w, h), kOld = kernelImage(old, w, h);
                for (RepaperStage stage : RepaperStage.values()) {
                    for (int line = 0; line < h; line++) {
                        byte[] kl = Arrays.copyOfRange(kImg, line * stride, (line + 1) * stride);
                        byte[] ko = Arrays.copyOfRange(kOld, line * stride, (line + 1) * stride);
                        int n = enc.encode(line, img, 0, null, stage);
                        assertArrayEquals(oracle(panel, line, kl, 0, null, stage), Arrays.copyOf(enc.buffer(), n),
                                panel + " " + stage + " line " + line);
                        n = enc.encode(line, img, 0, old, stage);
                        assertArrayEquals(oracle(panel, line, kl, 0, ko, stage), Arrays.copyOf(enc.buffer(), n),
                                panel + " " + stage + " masked line " + line);
                        int fixed = new int[] {0x00, 0x55, 0xaa, 0xff}[line & 3];
                        n = enc.encode(line, null, fixed, null, stage);
                        assertArrayEquals(oracle(panel, line, null, fixed, null, stage), Arrays.copyOf(enc.buffer(), n),
                                panel + " " + stage + " fixed line " + line);
                    }
                    int n = enc.encode(RepaperLineEncoder.NO_LINE, null, 0, null, stage);
                    assertArrayEquals(oracle(panel, RepaperLineEncoder.NO_LINE, null, 0, null, stage), Arrays.copyOf(enc.buffer(), n));
                }
            }
        }
    }
}
