package org.paneld.drivers.virtual;

import java.util.ArrayDeque;
import java.util.function.IntConsumer;

/**
 * An STMPE610 (the STMPE811's touchscreen part) on SPI, from ST's datasheet: a transfer's first
 * byte is R/W (bit 7, 1 = read) and a 7-bit register address; a read clocks the register out in
 * the next byte, a write takes the next byte as its value, each further byte the next register
 * (the TSC data port 0x57 — read as 0xD7 — does not advance: every read pops the next FIFO
 * byte). Registers: CHIP_ID 0x00–0x01 = 0x0811, ID_VER 0x02, SYS_CTRL1 0x03 (bit 1 soft reset),
 * SYS_CTRL2 0x04 (clock off bits: 0 ADC, 1 TSC, 2 GPIO, 3 temperature; 0x0F at reset), INT_CTRL
 * 0x09 (0 global enable, 1 edge, 2 active high), INT_EN 0x0A, INT_STA 0x0B (write 1 to clear;
 * 0 touch detect, 1 FIFO threshold, 2 FIFO overflow), GPIO_SET_PIN 0x10, GPIO_CLR_PIN 0x11,
 * GPIO_MP_STA 0x12, GPIO_DIR 0x13, GPIO_AF 0x17 (1 = GPIO function on the STMPE811),
 * ADC_CTRL1 0x20 (bit 3: 12-bit), ADC_CTRL2 0x21, TSC_CTRL 0x40 (0 enable, 7 TSC_STA touch
 * detected, read-only), TSC_CFG 0x41, FIFO_TH 0x4A, FIFO_STA 0x4B (0 reset, 4 threshold, 5
 * empty, 6 full, 7 overflow), FIFO_SIZE 0x4C, TSC_FRACTION_Z 0x56, TSC_DATA 0x57, TSC_I_DRIVE
 * 0x58. Samples (4 bytes: X 12 bits, Y 12 bits, Z 8 bits) enter the 128-deep FIFO every
 * {@value #SAMPLE_US} µs while the pen is down and the touchscreen runs; the INT line is active
 * while an enabled status bit is set. Violations: writes to read-only registers, the ADC or
 * touchscreen configured while the touchscreen runs, GPIO used with its clock off, SPI above 1 MHz.
 *
 * <p>The emulated glass: X runs against the picture's x axis over raw 3900..200, Y along its y
 * axis over 300..3800, with the configured noise. GPIO2 is reported to a listener (the PiTFT
 * backlight). Threads: any (under the chip's monitor).
 */
public final class VirtualStmpe610 extends VirtualTouchChip {
    static final int SAMPLE_US = 1000;
    static final int FIFO_DEPTH = 128;
    static final int MAX_HZ = 1_000_000;

    private final int[] regs = new int[128];
    private final ArrayDeque<int[]> fifo = new ArrayDeque<>();
    private int popped; // bytes of the head sample already read
    private long nextSampleNs;
    private IntConsumer gpioListener = levels -> { };
    private int gpioLevels;

    public VirtualStmpe610(int viewWidth, int viewHeight, int noise, long seed) {
        super("stmpe610", viewWidth, viewHeight, noise, seed);
        reset();
    }

    private void reset() {
        java.util.Arrays.fill(regs, 0);
        regs[0x00] = 0x08;
        regs[0x01] = 0x11;
        regs[0x02] = 0x03;
        regs[0x04] = 0x0F;
        regs[0x20] = 0x1C;
        regs[0x21] = 0x01;
        regs[0x40] = 0x10;
        regs[0x4B] = 0x20;
        fifo.clear();
        popped = 0;
        setGpio(0);
    }

    /** Called with GPIO levels (bit n = GPIOn) whenever they change. */
    public synchronized void setGpioListener(IntConsumer listener) {
        this.gpioListener = listener;
    }

    /** The GPIO output levels now (bit n = GPIOn). */
    public synchronized int gpioLevels() {
        return gpioLevels;
    }

    public synchronized int fifoSize() {
        return fifo.size();
    }

    @Override
    protected boolean hasSpi() {
        return true;
    }

    private boolean running() {
        return (regs[0x40] & 0x01) != 0 && (regs[0x04] & 0x03) == 0;
    }

    @Override
    protected void fingerChanged(boolean down) {
        if (running()) {
            regs[0x0B] |= 0x01; // touch detect, on press and on release
            if (down) {
                nextSampleNs = System.nanoTime();
            }
        }
        accrue();
    }

    @Override
    protected boolean lineAsserted() {
        boolean asserted = (regs[0x09] & 0x01) != 0 && (regs[0x0B] & regs[0x0A]) != 0;
        boolean activeHigh = (regs[0x09] & 0x04) != 0;
        return activeHigh != asserted; // the line is low when asserted active-low (or idle active-high)
    }

    /** Samples taken since the last access, while the pen is down and the touchscreen runs. */
    private void accrue() {
        if (!running() || !pressed || (regs[0x4B] & 0x01) != 0) {
            return;
        }
        long now = System.nanoTime();
        int n = 0;
        while (nextSampleNs <= now && n++ < FIFO_DEPTH) {
            if (fifo.size() >= FIFO_DEPTH) {
                regs[0x0B] |= 0x04;
                regs[0x4B] |= 0x80; // overflow
            } else {
                fifo.add(sample());
            }
            nextSampleNs += SAMPLE_US * 1000L;
        }
        if (nextSampleNs <= now) {
            nextSampleNs = now + SAMPLE_US * 1000L;
        }
        int th = regs[0x4A];
        if (th > 0 && fifo.size() >= th) {
            regs[0x0B] |= 0x02;
        }
    }

    private int[] sample() {
        int x = 3900 - fingerX * (3900 - 200) / Math.max(1, viewWidth() - 1) + noise();
        int y = 300 + fingerY * (3800 - 300) / Math.max(1, viewHeight() - 1) + noise();
        x = Math.max(0, Math.min(4095, x));
        y = Math.max(0, Math.min(4095, y));
        if ((regs[0x20] & 0x08) == 0) { // 10-bit mode
            x >>= 2;
            y >>= 2;
        }
        int z = Math.max(1, Math.min(255, 0x30 + noise() / 4));
        return new int[] {x >> 4, (x & 0x0F) << 4 | y >> 8, y & 0xFF, z};
    }

    @Override
    protected void spiTransfer(byte[] tx, byte[] rx, int len, int clockHz) {
        if (clockHz > MAX_HZ) {
            violation("SPI at " + clockHz + " Hz, above " + MAX_HZ + " Hz");
        }
        accrue();
        if (len == 0) {
            return;
        }
        rx[0] = 0;
        int cmd = tx[0] & 0xFF;
        int reg = cmd & 0x7F;
        boolean read = (cmd & 0x80) != 0;
        for (int i = 1; i < len; i++) {
            if (read) {
                rx[i] = (byte) readReg(reg);
            } else {
                rx[i] = 0;
                writeReg(reg, tx[i] & 0xFF);
            }
            if (reg != 0x57) {
                reg = reg + 1 & 0x7F;
            }
        }
    }

    private int readReg(int reg) {
        switch (reg) {
            case 0x12:
                return gpioLevels;
            case 0x40:
                return regs[0x40] & 0x7F | (running() && pressed ? 0x80 : 0);
            case 0x4B: {
                int th = regs[0x4A];
                int v = regs[0x4B] & 0x81;
                v |= fifo.isEmpty() ? 0x20 : 0;
                v |= fifo.size() >= FIFO_DEPTH ? 0x40 : 0;
                v |= th > 0 && fifo.size() >= th ? 0x10 : 0;
                return v;
            }
            case 0x4C:
                return Math.min(fifo.size(), FIFO_DEPTH);
            case 0x57: {
                int[] head = fifo.peek();
                if (head == null) {
                    return 0;
                }
                int v = head[popped++];
                if (popped == 4) {
                    fifo.poll();
                    popped = 0;
                }
                return v;
            }
            default:
                return regs[reg];
        }
    }

    private void writeReg(int reg, int v) {
        switch (reg) {
            case 0x00: case 0x01: case 0x02: case 0x12: case 0x4C: case 0x57:
                violation("write of 0x" + Integer.toHexString(v) + " to read-only register 0x" + Integer.toHexString(reg));
                return;
            case 0x03:
                if ((v & 0x02) != 0) {
                    reset();
                    return;
                }
                regs[0x03] = v;
                return;
            case 0x0B:
                regs[0x0B] &= ~v; // write 1 to clear
                return;
            case 0x10: case 0x11:
                if ((regs[0x04] & 0x04) != 0) {
                    violation("GPIO written with its clock off (SYS_CTRL2 bit 2)");
                }
                int out = reg == 0x10 ? regs[0x10] | v : regs[0x10] & ~v;
                regs[0x10] = out;
                setGpio(out & regs[0x13] & regs[0x17]);
                return;
            case 0x13: case 0x17:
                regs[reg] = v;
                setGpio(regs[0x10] & regs[0x13] & regs[0x17]);
                return;
            case 0x20: case 0x21: case 0x41: case 0x56: case 0x58:
                if ((regs[0x40] & 0x01) != 0) {
                    violation("register 0x" + Integer.toHexString(reg) + " written while the touchscreen runs"
                            + " (disable TSC_CTRL first)");
                }
                regs[reg] = v;
                return;
            case 0x40:
                regs[0x40] = v & 0x7F;
                if (running() && pressed) {
                    nextSampleNs = System.nanoTime();
                }
                return;
            case 0x4B:
                regs[0x4B] = v & 0x01;
                if ((v & 0x01) != 0) {
                    fifo.clear();
                    popped = 0;
                    regs[0x0B] &= ~0x06;
                }
                return;
            default:
                regs[reg] = v;
        }
    }

    private void setGpio(int levels) {
        if (levels != gpioLevels) {
            gpioLevels = levels;
            gpioListener.accept(levels);
        }
    }
}
