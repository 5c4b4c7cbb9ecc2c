package org.paneld.drivers.virtual;

/**
 * An XPT2046 / ADS7846 resistive touch controller, from the datasheets (TI ADS7846, XPTEK
 * XPT2046): each SPI transfer is a chip-select period; a byte with its start bit (bit 7) is a
 * control byte — channel A2–A0 (bits 6–4: 101 X+, 001 Y+, 011 Z1, 100 Z2; others temperature,
 * battery, aux), MODE (bit 3: 1 = 8-bit), SER/DFR (bit 2), PD1–PD0 (bits 1–0) — and the
 * conversion's result is clocked out over the next 16 clocks, MSB first after one busy clock
 * (12-bit: byte 1 = D11–D5, byte 2 = D4–D0 in bits 7–3). A new control byte may start in the
 * second result byte (16 clocks per conversion); a start bit in the first is a violation. PENIRQ
 * is low while the plates touch and PD0 = 0 (PENIRQ enabled) after the last conversion. DCLK
 * above 2.5 MHz is a violation.
 *
 * <p>The emulated glass: X+ measures the picture's y axis, inverted, over raw {@value #X_LO}..
 * {@value #X_HI}; Y+ the picture's x axis over {@value #Y_LO}..{@value #Y_HI} (an uncalibrated,
 * swapped board); the touch resistance is {@value #R_TOUCH} Ω on an x-plate of
 * {@value #R_XPLATE} Ω; each conversion gets the configured uniform noise, and one in 16 an
 * outlier six times as large. Threads: any (under the chip's monitor).
 */
public final class VirtualXpt2046 extends VirtualTouchChip {
    static final int X_LO = 280, X_HI = 3820, Y_LO = 210, Y_HI = 3880;
    static final int R_TOUCH = 350, R_XPLATE = 400;
    static final int MAX_DCLK_HZ = 2_500_000;

    private boolean penirqEnabled = true; // power-up: PD1-PD0 = 00
    private long conversions;

    public VirtualXpt2046(int viewWidth, int viewHeight, int noise, long seed) {
        super("xpt2046", viewWidth, viewHeight, noise, seed);
    }

    @Override
    protected boolean hasSpi() {
        return true;
    }

    @Override
    protected void fingerChanged(boolean down) {
    }

    @Override
    protected boolean lineAsserted() {
        return pressed && penirqEnabled;
    }

    public synchronized long conversions() {
        return conversions;
    }

    @Override
    protected void spiTransfer(byte[] tx, byte[] rx, int len, int clockHz) {
        if (clockHz > MAX_DCLK_HZ) {
            violation("DCLK " + clockHz + " Hz is above the converter's " + MAX_DCLK_HZ + " Hz");
        }
        int pos = 0; // 0 idle, 1 first result byte next, 2 second
        int result = 0;
        boolean eight = false;
        for (int i = 0; i < len; i++) {
            int b = tx[i] & 0xFF;
            int out = 0;
            if (pos == 1) {
                out = eight ? result >> 1 & 0x7F : result >> 5 & 0x7F;
                if ((b & 0x80) != 0) {
                    violation("start bit in the first result byte of a conversion (byte " + i + ")");
                }
                pos = 2;
            } else if (pos == 2) {
                out = eight ? (result & 1) << 7 : result << 3 & 0xF8;
                pos = 0;
                if ((b & 0x80) != 0) {
                    result = convert(b);
                    eight = (b & 0x08) != 0;
                    if (eight) {
                        result >>= 4;
                    }
                    pos = 1;
                }
            } else if ((b & 0x80) != 0) {
                result = convert(b);
                eight = (b & 0x08) != 0;
                if (eight) {
                    result >>= 4;
                }
                pos = 1;
            }
            rx[i] = (byte) out;
        }
    }

    /** One 12-bit conversion for control byte {@code ctrl}. */
    private int convert(int ctrl) {
        conversions++;
        int channel = ctrl >> 4 & 7;
        penirqEnabled = (ctrl & 0x01) == 0;
        int x = X_LO + (viewHeight() - 1 - fingerY) * (X_HI - X_LO) / Math.max(1, viewHeight() - 1);
        int y = Y_LO + fingerX * (Y_HI - Y_LO) / Math.max(1, viewWidth() - 1);
        int v;
        switch (channel) {
            case 5: // X+
                v = pressed ? x + jitter() : 0;
                break;
            case 1: // Y+
                v = pressed ? y + jitter() : 0;
                break;
            case 3: { // Z1
                v = pressed ? 1000 + jitter() : 0;
                break;
            }
            case 4: { // Z2 = Z1 (1 + Rtouch 4096 / (Rxplate X))
                int z1 = 1000;
                v = pressed ? (int) (z1 + (long) z1 * R_TOUCH * 4096 / ((long) R_XPLATE * Math.max(1, x))) + jitter() : 4095;
                break;
            }
            default: // temperature, battery, aux: mid-scale
                v = 0x800;
        }
        return Math.max(0, Math.min(4095, v));
    }

    private int jitter() {
        int n = noise();
        if (noiseAmplitude() > 0 && random().nextInt(16) == 0) {
            n *= 6;
        }
        return n;
    }
}
