package org.paneld.drivers.repaper;

import java.io.IOException;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.spi.GpioInput;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.SpiPort;

/**
 * The COG's wire protocol and sequences (the kernel's repaper.c, from Pervasive's gratis
 * userspace driver): SPI framing (0x70 + register index, 0x72 + data, 0x73 register read,
 * 0x71 id read; each a transaction of its own), the power-on sequence (lines, reset pulses, wait
 * for BUSY low, COG id 0x12 on G2, "panel broken" bit, registers, charge pumps with the DC/DC
 * check), frames of lines repeated for a stage time, and the power-off sequence (nothing frame,
 * border dummy line or the 2.7"'s border pulse, charge pumps off, discharge pulse).
 *
 * <p>COG G1 (EOL 2013, Pervasive's 4P008 timing document and gratis' V110 G1 code) differs: a
 * 100–300 kHz PWM clock must run from before power-on until the negative charge pump is on;
 * other init registers (0x06 DC/DC frequency, 0x07 0x9d, 0x08 0x00, 0x09 two bytes, 0x04 by
 * size, output enable 0x24) and power-off steps; the line's first data block holds the other
 * pixel parity and the scan bytes run the other way; no COG id and no partial updates. The
 * kernel supports only G2 and so does this driver: config {@code cog = "g1"} is refused.
 *
 * <p>Lifetime: the hardware binding. Threads: the device's refresh worker only, inside its
 * atomic guarded section (the ports enter the guard themselves).
 */
public final class RepaperCog {
    private final RepaperPanel panel;
    private final boolean g2;
    private final SpiPort spi;
    private final GpioOutput panelOn, discharge, reset, border;
    private final GpioInput busy;
    private final RepaperClock clock;
    private final RepaperLineEncoder encoder;
    private final byte[] one = new byte[1];
    private final byte[] two = new byte[2];
    private byte[] tx = new byte[2];
    private boolean powered;

    public RepaperCog(RepaperPanel panel, boolean g2, SpiPort spi, GpioOutput panelOn, GpioOutput discharge,
                      GpioOutput reset, GpioOutput border, GpioInput busy, RepaperClock clock) {
        this.panel = panel;
        this.g2 = g2;
        this.spi = spi;
        this.panelOn = panelOn;
        this.discharge = discharge;
        this.reset = reset;
        this.border = border;
        this.busy = busy;
        this.clock = clock;
        this.encoder = new RepaperLineEncoder(panel);
    }

    public RepaperClock clock() {
        return clock;
    }

    /** True between a successful {@link #powerOn()} start and the end of {@link #powerOff()}. */
    public boolean isPowered() {
        return powered;
    }

    // ------------------------------------------------------------------ framing

    private void mosiLow() throws IOException {
        one[0] = 0;
        spi.write(one, 0, 1);
    }

    private void index(int reg) throws IOException {
        two[0] = 0x70;
        two[1] = (byte) reg;
        spi.write(two, 0, 2);
    }

    /** Register {@code reg} = {@code data[0..len)}. */
    public void writeBuf(int reg, byte[] data, int len) throws IOException {
        index(reg);
        if (tx.length < len + 1) {
            tx = new byte[len + 1];
        }
        tx[0] = 0x72;
        System.arraycopy(data, 0, tx, 1, len);
        spi.write(tx, 0, len + 1);
    }

    public void writeVal(int reg, int val) throws IOException {
        index(reg);
        two[0] = 0x72;
        two[1] = (byte) val;
        spi.write(two, 0, 2);
    }

    public int readVal(int reg) throws IOException {
        index(reg);
        byte[] t = {0x73, 0}, r = new byte[2];
        spi.transfer(t, r, 2);
        return r[1] & 0xFF;
    }

    public int readId() throws IOException {
        byte[] t = {0x71, 0}, r = new byte[2];
        spi.transfer(t, r, 2);
        return r[1] & 0xFF;
    }

    // ------------------------------------------------------------------ power

    /**
     * Powers the panel on and starts the charge pumps. On failure the panel is powered off again
     * and the error says why (BUSY timeout, wrong COG id, broken panel, DC/DC failure).
     */
    public void powerOn() throws IOException {
        reset.set(false);
        panelOn.set(false);
        discharge.set(false);
        if (border != null) {
            border.set(false);
        }
        mosiLow();
        sleep(5);
        powered = true;
        panelOn.set(true);
        sleep(10);
        reset.set(true);
        if (border != null) {
            border.set(true);
        }
        sleep(5);
        reset.set(false);
        sleep(5);
        reset.set(true);
        sleep(5);
        try {
            waitReady();
            if (g2) {
                readId();
                int id = readId();
                if (id != 0x12) {
                    throw new DeviceException(Errno.EIO, "wrong COG id 0x" + Integer.toHexString(id) + " (a G2 answers 0x12)");
                }
            }
            writeVal(0x02, 0x40); // output enable off
            int status = readVal(0x0f);
            if ((status & 0x80) == 0) {
                throw new DeviceException(Errno.EIO, "the COG reports the panel broken (register 0x0f = 0x"
                        + Integer.toHexString(status) + ")");
            }
            writeVal(0x0b, 0x02); // power saving mode
            byte[] cs = panel.channelSelect();
            writeBuf(0x01, cs, cs.length);
            writeVal(0x07, 0xd1); // high power mode oscillator
            writeVal(0x08, 0x02); // power setting
            writeVal(0x09, 0xc2); // Vcom level
            writeVal(0x04, 0x03); // power setting
            writeVal(0x03, 0x01); // driver latch on
            writeVal(0x03, 0x00); // driver latch off
            sleep(5);
            boolean dcOk = false;
            for (int i = 0; i < 4 && !dcOk; i++) {
                writeVal(0x05, 0x01); // positive charge pump
                sleep(240);
                writeVal(0x05, 0x03); // negative charge pump
                sleep(40);
                writeVal(0x05, 0x0f); // Vcom driver
                sleep(40);
                dcOk = (readVal(0x0f) & 0x40) != 0;
            }
            if (!dcOk) {
                throw new DeviceException(Errno.EIO, "the COG's DC/DC did not come up");
            }
            writeVal(0x02, 0x04); // output enable
        } catch (IOException | RuntimeException e) {
            try {
                powerOffLines();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void waitReady() throws IOException {
        for (int i = 0; i < 100; i++) {
            if (!busy.isHigh()) {
                return;
            }
            clock.sleeper().sleepMicros(100);
        }
        throw new DeviceException(Errno.ETIMEDOUT, "the COG stayed busy (" + busy.describe() + " high) after power on");
    }

    /** The orderly power-off: nothing frame, border, charge pumps down, then {@link #powerOffLines()}. */
    public void powerOff() throws IOException {
        try {
            for (int line = 0; line < panel.height(); line++) {
                oneLine(RepaperLineEncoder.NO_LINE, null, 0x00, null, RepaperStage.COMPENSATE);
            }
            if (border != null) {
                oneLine(RepaperLineEncoder.NO_LINE, null, 0x00, null, RepaperStage.COMPENSATE);
                sleep(25);
                border.set(false);
                sleep(200);
                border.set(true);
            } else {
                oneLine(RepaperLineEncoder.NO_LINE, null, 0x00, null, RepaperStage.NORMAL);
                sleep(200);
            }
            writeVal(0x0b, 0x00);
            writeVal(0x03, 0x01); // latch reset on
            writeVal(0x05, 0x03); // Vcom charge pump off
            writeVal(0x05, 0x01); // negative charge pump off
            sleep(120);
            writeVal(0x04, 0x80); // discharge internally
            writeVal(0x05, 0x00); // all charge pumps off
            writeVal(0x07, 0x01); // oscillator off
            sleep(50);
        } finally {
            powerOffLines();
        }
    }

    /** Lines low, MOSI low, discharge pulse. */
    private void powerOffLines() throws IOException {
        reset.set(false);
        panelOn.set(false);
        if (border != null) {
            border.set(false);
        }
        mosiLow();
        discharge.set(true);
        sleep(150);
        discharge.set(false);
        powered = false;
    }

    private void sleep(long ms) throws IOException {
        clock.sleeper().sleepMillis(ms);
    }

    // ------------------------------------------------------------------ frames

    /** Outputs one line: register 0x0a = the line's bytes, then 0x02 = 0x07 latches it. */
    public void oneLine(int line, byte[] image, int fixed, byte[] mask, RepaperStage stage) throws IOException {
        mosiLow();
        int n = encoder.encode(line, image, fixed, mask, stage);
        writeBuf(0x0a, encoder.buffer(), n);
        writeVal(0x02, 0x07);
        mosiLow();
    }

    /** Every line once. */
    public void frame(byte[] image, int fixed, byte[] mask, RepaperStage stage) throws IOException {
        for (int line = 0; line < panel.height(); line++) {
            oneLine(line, image, fixed, mask, stage);
        }
    }

    /** Frames repeated until {@code millis} have passed (at least one). */
    public void repeat(byte[] image, int fixed, byte[] mask, RepaperStage stage, long millis) throws IOException {
        long end = clock.nanoTime() + millis * 1_000_000L;
        do {
            frame(image, fixed, mask, stage);
        } while (clock.nanoTime() - end < 0);
    }
}
