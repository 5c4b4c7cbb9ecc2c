package org.paneld.drivers.touch;

import java.io.IOException;
import java.util.Arrays;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.IrqLine;
import org.paneld.drivers.spi.SpiPort;
import org.paneld.drivers.spi.SpiArbiter;

/**
 * The STMPE610 resistive touch controller on SPI (the kernel's stmpe-ts.c and stmpe.c,
 * Adafruit's library): register read = (register | 0x80) then a byte clocked in, write =
 * register, value. At init: CHIP_ID must read 0x0811, soft reset, clocks on, 12-bit ADC, the
 * touchscreen in XYZ mode with 4-sample averaging, FIFO threshold 1, interrupts on touch detect
 * and FIFO threshold (level, active low), then the touchscreen enabled. A read drains the FIFO
 * through TSC_DATA_XYZ (0xD7, 4 bytes a sample: 12-bit X, 12-bit Y, 8-bit Z), takes the median,
 * and asks TSC_CTRL's TSC_STA whether the pen is still down. Its GPIO2 drives the Adafruit
 * PiTFT's backlight ({@link #backlight()}). Lifetime: the hardware binding. Threads: the
 * sampling thread; the backlight from the display's thread (each transfer holds the bus).
 */
final class Stmpe610 implements TouchChip {
    static final int CHIP_ID = 0x00, SYS_CTRL1 = 0x03, SYS_CTRL2 = 0x04, INT_CTRL = 0x09, INT_EN = 0x0A,
            INT_STA = 0x0B, GPIO_SET_PIN = 0x10, GPIO_CLR_PIN = 0x11, GPIO_DIR = 0x13, GPIO_AF = 0x17,
            ADC_CTRL1 = 0x20, ADC_CTRL2 = 0x21, TSC_CTRL = 0x40, TSC_CFG = 0x41, FIFO_TH = 0x4A, FIFO_STA = 0x4B,
            FIFO_SIZE = 0x4C, TSC_FRACTION_Z = 0x56, TSC_I_DRIVE = 0x58, TSC_DATA_XYZ = 0xD7;
    static final int GPIO2 = 0x04;
    static final int MAX_SAMPLES = 16;
    static final int PERIOD_MS = 3;

    private final SpiPort spi;
    private final SpiArbiter arbiter;
    private final IrqLine irq;
    private final Pacing pacing;
    private final boolean backlight;
    private final byte[] tx = new byte[2];
    private final byte[] rx = new byte[2];
    private final int[] xs = new int[MAX_SAMPLES], ys = new int[MAX_SAMPLES], zs = new int[MAX_SAMPLES];
    private boolean have;
    private int lastX, lastY, lastZ;

    Stmpe610(SpiPort spi, SpiArbiter arbiter, IrqLine irq, boolean backlight) {
        this.spi = spi;
        this.arbiter = arbiter;
        this.irq = irq;
        this.pacing = new Pacing(irq, PERIOD_MS);
        this.backlight = backlight;
    }

    @Override
    public String name() {
        return "stmpe610";
    }

    @Override
    public int maxContacts() {
        return 1;
    }

    @Override
    public int rawMax() {
        return 4095;
    }

    @Override
    public int upDebounce() {
        return 2;
    }

    private int readReg(int reg) throws IOException {
        tx[0] = (byte) (reg | 0x80);
        tx[1] = 0;
        spi.transfer(tx, rx, 2);
        return rx[1] & 0xFF;
    }

    private void writeReg(int reg, int value) throws IOException {
        byte[] b = {(byte) reg, (byte) value};
        spi.write(b, 0, 2);
    }

    @Override
    public void init() throws IOException {
        arbiter.transaction(() -> {
            int id = readReg(CHIP_ID) << 8 | readReg(CHIP_ID + 1);
            if (id != 0x0811) {
                throw new DeviceException(Errno.ENODEV, "stmpe610 on " + spi.describe() + ": CHIP_ID reads 0x"
                        + Integer.toHexString(id) + ", not 0x811 (wrong chip select, wiring or SPI mode?)");
            }
            writeReg(SYS_CTRL1, 0x02); // soft reset
            return null;
        });
        try {
            Thread.sleep(10); // Adafruit's library and stmpe.c wait after the soft reset; the bus is free meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("stmpe610 init interrupted");
        }
        arbiter.transaction(() -> {
            writeReg(SYS_CTRL2, 0x00); // ADC, TSC, GPIO and temperature clocks on
            writeReg(ADC_CTRL1, 0x60 | 0x08); // sample time code 6 (as Adafruit), 12-bit
            writeReg(ADC_CTRL2, 0x02); // ADC clock 6.5 MHz
            writeReg(TSC_CFG, 0x80 | 0x20 | 0x04); // 4 samples averaged, 1 ms touch detect delay, 5 ms settling
            writeReg(TSC_FRACTION_Z, 0x06);
            writeReg(TSC_I_DRIVE, 0x01); // 50 mA
            writeReg(FIFO_TH, 1);
            writeReg(FIFO_STA, 0x01); // FIFO reset
            writeReg(FIFO_STA, 0x00);
            writeReg(INT_STA, 0xFF);
            writeReg(INT_EN, 0x03); // touch detect, FIFO threshold
            writeReg(INT_CTRL, 0x01); // global enable, level, active low
            if (backlight) {
                writeReg(GPIO_AF, GPIO2); // GPIO2 as a GPIO (stmpe811: 1 = GPIO function)
                writeReg(GPIO_DIR, GPIO2);
            }
            writeReg(TSC_CTRL, 0x01); // XYZ, enabled
            return null;
        });
    }

    /** GPIO2 as the panel's backlight (on/off). */
    GpioOutput backlight() {
        return new GpioOutput() {
            @Override
            public void set(boolean high) throws IOException {
                writeReg(high ? GPIO_SET_PIN : GPIO_CLR_PIN, GPIO2);
            }

            @Override
            public String describe() {
                return "stmpe610 gpio2 (backlight) on " + spi.describe();
            }
        };
    }

    @Override
    public boolean await(boolean touched) throws IOException, InterruptedException {
        return pacing.await(touched);
    }

    @Override
    public int read(Contact[] out) throws IOException {
        int[] n = {0};
        boolean down = arbiter.transaction(() -> {
            int size = readReg(FIFO_SIZE);
            for (int i = 0; i < size; i++) {
                // byte by byte, as stmpe-spi.c and Adafruit's library read it: each read of the
                // non-incrementing data port pops the next FIFO byte
                int b0 = readReg(TSC_DATA_XYZ), b1 = readReg(TSC_DATA_XYZ), b2 = readReg(TSC_DATA_XYZ);
                int b3 = readReg(TSC_DATA_XYZ);
                int k = n[0] % MAX_SAMPLES; // keeps the newest when the FIFO held more
                xs[k] = b0 << 4 | b1 >> 4;
                ys[k] = (b1 & 0x0F) << 8 | b2;
                zs[k] = b3;
                n[0]++;
            }
            int sta = readReg(FIFO_STA);
            if ((sta & 0x80) != 0) { // overflow: start again
                writeReg(FIFO_STA, 0x01);
                writeReg(FIFO_STA, 0x00);
            }
            writeReg(INT_STA, 0xFF);
            return (readReg(TSC_CTRL) & 0x80) != 0;
        });
        if (!down) {
            have = false;
            return 0;
        }
        int m = Math.min(n[0], MAX_SAMPLES);
        if (m > 0) {
            lastX = median(xs, m);
            lastY = median(ys, m);
            lastZ = median(zs, m);
            have = true;
        }
        if (!have) {
            return 0; // down, but no sample yet
        }
        out[0].set(0, lastX, lastY, Math.max(1, Math.min(255, lastZ)));
        return 1;
    }

    private static int median(int[] a, int n) {
        int[] c = Arrays.copyOf(a, n);
        Arrays.sort(c);
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2] + 1) / 2;
    }
}
