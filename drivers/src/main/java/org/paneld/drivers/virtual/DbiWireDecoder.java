package org.paneld.drivers.virtual;

import java.util.Objects;


/**
 * Decodes the MIPI DBI type C wire into command bytes and data bytes for a
 * {@link DbiController}: option 3 (8-bit words with the D/C level), option 1 (9-bit words whose
 * bit 8 is D/C, packed eight into nine bytes on an 8-bit SPI or native), and the Waveshare
 * 16-bit shift register (every transfer a sequence of big-endian 16-bit words). Flags framing
 * errors: the wrong option for the wiring, partial words. Lifetime: its panel. Threads: the
 * panel's lock.
 */
final class DbiWireDecoder {
    private final DbiModel model;
    private final DbiController ctl;
    private final DbiRecorder rec;
    private final byte[] one = new byte[1];

    private int shiftHigh = -1;           // pending high byte of a 16-bit shift-register word
    private boolean shiftDc;

    DbiWireDecoder(DbiModel model, DbiController ctl, DbiRecorder rec) {
        this.model = model;
        this.ctl = ctl;
        this.rec = rec;
    }

    /** Option 3: one transfer with the D/C line at {@code dcHigh}, clocked at {@code clockHz}. */
    void write(boolean dcHigh, byte[] bytes, int off, int len, int clockHz) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        long start = ctl.transfer(len, clockHz, "write of " + len + " bytes");
        if (start < 0) {
            return;
        }
        if (model.option1) {
            rec.violation(start, "D/C-framed write on a panel wired for option 1 (no D/C line)");
            return;
        }
        if (!model.shiftRegister16) {
            if (!dcHigh) {
                for (int i = 0; i < len; i++) {
                    ctl.command(bytes[off + i] & 0xFF, start + i);
                }
            } else {
                ctl.data(bytes, off, len, start);
            }
            return;
        }
        // 16-bit shift register: every transfer is a sequence of big-endian 16-bit words
        if (shiftHigh >= 0 && shiftDc != dcHigh) {
            rec.violation(start, "D/C changed in the middle of a 16-bit shift-register word");
            shiftHigh = -1;
        }
        for (int i = 0; i < len; i++) {
            int b = bytes[off + i] & 0xFF;
            if (shiftHigh < 0) {
                shiftHigh = b;
                shiftDc = dcHigh;
                continue;
            }
            int word = shiftHigh << 8 | b;
            shiftHigh = -1;
            word16(dcHigh, word, start + i - 1);
        }
        if (shiftHigh >= 0) {
            rec.violation(start + len - 1, "transfer of " + len + " bytes ends in the middle of a 16-bit "
                    + "shift-register word (odd byte count)");
            shiftHigh = -1;
        }
    }

    private void word16(boolean dcHigh, int word, long pos) {
        if (!dcHigh) {
            if ((word & 0xFF00) != 0) {
                rec.violation(pos, String.format("command word 0x%04X through the 16-bit shift register has a "
                        + "non-zero high byte", word));
            }
            ctl.command(word & 0xFF, pos);
            return;
        }
        if (ctl.inMemoryWrite()) {
            if (ctl.bitsPerPixel() != 16) {
                rec.violation(pos, "18-bit pixel data through the 16-bit shift register is not supported");
                return;
            }
            ctl.pixelWord(word, pos); // one bus cycle, one pixel
            return;
        }
        if ((word & 0xFF00) != 0) {
            rec.violation(pos, String.format("parameter word 0x%04X through the 16-bit shift register has a "
                    + "non-zero high byte", word));
        }
        one[0] = (byte) word;
        ctl.data(one, 0, 1, pos);
    }

    /** Option 1 packed: 9-bit words MSB-first, eight per nine bytes; a transfer holds whole words. */
    void writeOption1(byte[] packed, int off, int len, int clockHz) {
        Objects.checkFromIndexSize(off, len, packed.length);
        long start = ctl.transfer(len, clockHz, "write of " + len + " bytes");
        if (start < 0) {
            return;
        }
        if (!model.option1) {
            rec.violation(start, "option-1 (9-bit) transfer on a panel wired for option 3 (D/C line)");
            return;
        }
        long bits = (long) len * 8;
        long words = bits / 9;
        int acc = 0, accBits = 0, i = 0;
        for (long w = 0; w < words; w++) {
            while (accBits < 9) {
                acc = (acc << 8 | (packed[off + i++] & 0xFF)) & 0xFFFF;
                accBits += 8;
            }
            int word = acc >> (accBits - 9) & 0x1FF;
            accBits -= 9;
            word9(word, start + (w * 9) / 8);
        }
        if (bits % 9 != 0) {
            rec.violation(start + len - 1, "option-1 transfer of " + len + " bytes is not a whole number of 9-bit "
                    + "words (" + bits % 9 + " bits left over; the kernel sends blocks of 9 bytes)");
        }
    }

    /** Option 1 native: each element one 9-bit word, bit 8 = D/C. */
    void writeWords9(short[] words, int off, int len, int clockHz) {
        Objects.checkFromIndexSize(off, len, words.length);
        long start = ctl.transfer(2L * len, clockHz, "write of " + len + " words");
        if (start < 0) {
            return;
        }
        if (!model.option1) {
            rec.violation(start, "option-1 (9-bit) transfer on a panel wired for option 3 (D/C line)");
            return;
        }
        for (int i = 0; i < len; i++) {
            if ((words[off + i] & 0xFE00) != 0) {
                rec.violation(start + 2L * i, String.format("9-bit word 0x%04X has bits above bit 8", words[off + i]));
            }
            word9(words[off + i] & 0x1FF, start + 2L * i);
        }
    }

    private void word9(int word, long pos) {
        if ((word & 0x100) == 0) {
            int c = word & 0xFF;
            if (c == Dcs.NOP) {
                ctl.endCommand(); // a NOP word (framing padding) ends a memory write, logged as nothing
                return;
            }
            ctl.command(c, pos);
        } else {
            one[0] = (byte) word;
            ctl.data(one, 0, 1, pos);
        }
    }
}
