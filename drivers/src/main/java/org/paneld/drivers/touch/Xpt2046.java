package org.paneld.drivers.touch;

import java.io.IOException;
import java.util.Arrays;
import org.paneld.drivers.spi.IrqLine;
import org.paneld.drivers.spi.SpiPort;

/**
 * The XPT2046 / ADS7846 resistive touch controller on SPI (the kernel's ads7846.c): 12-bit
 * differential conversions of X, Y, Z1 and Z2, each {@value #SAMPLES} times in one full-duplex
 * transfer (control byte, then 16 clocks: value = ((b1 &lt;&lt; 8) | b2) &gt;&gt; 3), PD1–PD0 = 00 so
 * the chip powers down between conversions with PENIRQ enabled. Per channel the median three of
 * the samples are averaged (the chip's noise and its outliers); the touch resistance from Z1/Z2
 * (x-plate {@value #X_PLATE_OHMS} Ω) decides whether the pen is down and gives the pressure;
 * pen-up is debounced over {@value #DEBOUNCE} reads, pen-down too when there is no PENIRQ line.
 * Idle, the thread waits for PENIRQ (active low); while touched it samples every
 * {@value #PERIOD_MS} ms. Without a PENIRQ line it polls every {@value Pacing#POLL_MS} ms.
 * Lifetime: the hardware binding. Threads: the sampling thread.
 */
final class Xpt2046 implements TouchChip {
    /** Control bytes: start | channel | 12-bit | differential | PD 00. */
    static final int CMD_X = 0xD0, CMD_Y = 0x90, CMD_Z1 = 0xB0, CMD_Z2 = 0xC0;
    static final int SAMPLES = 7;
    static final int X_PLATE_OHMS = 400;
    /** Touch resistance above which the pen is taken as up (a light brush, or no contact). */
    static final int RT_MAX = 2000;
    static final int DEBOUNCE = 2;
    static final int PERIOD_MS = 3;

    private final String name;
    private final SpiPort spi;
    private final IrqLine irq;
    private final Pacing pacing;
    private final byte[] tx = new byte[4 * SAMPLES * 3];
    private final byte[] rx = new byte[tx.length];
    private final int[] v = new int[SAMPLES];

    Xpt2046(String name, SpiPort spi, IrqLine irq) {
        this.name = name;
        this.spi = spi;
        this.irq = irq;
        this.pacing = new Pacing(irq, PERIOD_MS);
        int[] cmds = {CMD_X, CMD_Y, CMD_Z1, CMD_Z2};
        for (int c = 0; c < 4; c++) {
            for (int s = 0; s < SAMPLES; s++) {
                tx[(c * SAMPLES + s) * 3] = (byte) cmds[c];
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int maxContacts() {
        return 1;
    }

    @Override
    public int rawMax() {
        return 4095;
    }

    /**
     * With PENIRQ wired, one read decides (the line says the plates touch, the seven-sample median
     * and the touch resistance say where and how firmly): the DOWN comes without a sampling
     * period's delay. Polled without the line, two reads in a row must agree.
     */
    @Override
    public int downDebounce() {
        return irq != null ? 1 : DEBOUNCE;
    }

    @Override
    public int upDebounce() {
        return DEBOUNCE;
    }

    @Override
    public void init() throws IOException {
        // one dummy conversion: leaves the chip powered down with PENIRQ enabled
        byte[] t = {(byte) CMD_Z1, 0, 0};
        spi.transfer(t, new byte[3], 3);
    }

    @Override
    public boolean await(boolean touched) throws IOException, InterruptedException {
        return pacing.await(touched);
    }

    @Override
    public int read(Contact[] out) throws IOException {
        spi.transfer(tx, rx, tx.length);
        int x = channel(0), y = channel(1), z1 = channel(2), z2 = channel(3);
        if (irq != null && !irq.isActive()) {
            return 0;
        }
        if (z1 <= 0 || z2 <= z1) {
            return 0;
        }
        long rt = (long) (z2 - z1) * x * X_PLATE_OHMS / z1;
        rt = (rt + 2047) >> 12;
        if (rt > RT_MAX) {
            return 0;
        }
        int pressure = (int) Math.max(1, 255 - rt * 255 / RT_MAX);
        out[0].set(0, x, y, pressure);
        return 1;
    }

    /** The filtered value of channel {@code c} (0 X, 1 Y, 2 Z1, 3 Z2): median three averaged. */
    private int channel(int c) {
        for (int s = 0; s < SAMPLES; s++) {
            int i = (c * SAMPLES + s) * 3;
            v[s] = ((rx[i + 1] & 0xFF) << 8 | rx[i + 2] & 0xFF) >> 3 & 0xFFF;
        }
        Arrays.sort(v);
        return (v[SAMPLES / 2 - 1] + v[SAMPLES / 2] + v[SAMPLES / 2 + 1] + 1) / 3;
    }
}
