package org.paneld.drivers.spi;

import java.io.IOException;
import java.util.Objects;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;

/**
 * A MIPI DBI type C bus (the kernel's struct mipi_dbi with mipi_dbi_command): commands with
 * parameters, pixel data after RAMWR, DCS reads, hardware reset and backlight.
 *
 * <ul>
 * <li><b>Option 3</b> ({@link Option#D_C_GPIO}): 8-bit SPI words and a D/C line (low = command
 *     byte, high = parameters and pixels).</li>
 * <li><b>Option 1</b> ({@link Option#NINE_BIT}): no D/C line; 9-bit words whose first bit is
 *     D/C. On an 8-bit-only SPI controller every 8 nine-bit words are packed into 9 bytes; a
 *     command goes as one 9-byte block of 7 NOPs and the command, a data tail shorter than 8
 *     bytes is padded with NOP (0x00) commands, exactly as the kernel's
 *     mipi_dbi_spi1e_transfer does.</li>
 * <li>The 16-bit shift-register quirk of Waveshare ILI9486 boards ({@code shift16}): the command
 *     byte and parameters (up to 32 of them) go out as 16-bit big-endian words with a zero high
 *     byte; pixel data (more than 32 bytes) goes as it is (the kernel's waveshare_command).</li>
 * </ul>
 * Transfers are split into chunks of at most {@link #maxData()} bytes (the SPI port's max
 * transfer size, even; for option 1 an even number of 8-byte groups that fit in it once packed,
 * so that packed transfers are whole, even-sized 9-byte blocks).
 *
 * <p>Every hardware call goes through the {@link SpiPort} and {@link GpioOutput}s, which run it
 * inside the device's unplug guard. Lifetime: the hardware binding (made at probe from objects
 * registered in the hardware scope). Threads: one at a time — the device's serialised
 * operations, or its transfer thread while the caller waits for it.
 */
public final class DbiBus {
    /** DCS commands the core uses. */
    public static final int NOP = 0x00, SOFT_RESET = 0x01, GET_POWER_MODE = 0x0A, GET_DISPLAY_ID = 0x04,
            GET_DISPLAY_STATUS = 0x09, ENTER_SLEEP = 0x10, EXIT_SLEEP = 0x11, INVERT_OFF = 0x20, INVERT_ON = 0x21,
            DISPLAY_OFF = 0x28, DISPLAY_ON = 0x29, SET_COLUMN = 0x2A, SET_PAGE = 0x2B, WRITE_MEMORY_START = 0x2C,
            SET_ADDRESS_MODE = 0x36, SET_PIXEL_FORMAT = 0x3A, WRITE_MEMORY_CONTINUE = 0x3C;

    /** How D/C travels. */
    public enum Option {
        /** Type C option 3: a D/C GPIO line, 8-bit words. */
        D_C_GPIO,
        /** Type C option 1: the D/C bit is the first of 9-bit words (packed 8 words into 9 bytes). */
        NINE_BIT
    }

    private final SpiPort spi;
    private final GpioOutput dc;
    private final GpioOutput reset;
    private final GpioOutput backlight;
    private final Option option;
    private final boolean shift16;
    private final boolean readable;
    private final Sleeper sleeper;
    private final int maxData;
    private final byte[] small = new byte[2];
    private final byte[] params = new byte[64];
    private byte[] packBuf;
    private int dcLevel = -1; // -1 unknown, 0 low, 1 high
    private int pixelHz;
    private int cmdHz;
    private int readHz;
    private long bytesOut;

    /**
     * @param spi       the SPI port
     * @param dc        the D/C line (option 3); must be null for option 1
     * @param reset     the reset line (active low) or null
     * @param backlight the backlight line (GPIO or PWM) or null
     * @param option    option 3 or option 1
     * @param shift16   the ILI9486 16-bit shift-register quirk (option 3 only)
     * @param readable  whether reads are wired (MISO connected, and the option supports reads)
     * @param sleeper   the waits (real in production, recording in tests)
     */
    public DbiBus(SpiPort spi, GpioOutput dc, GpioOutput reset, GpioOutput backlight, Option option,
                  boolean shift16, boolean readable, Sleeper sleeper) {
        this.spi = Objects.requireNonNull(spi, "spi");
        this.option = Objects.requireNonNull(option, "option");
        if (option == Option.D_C_GPIO && dc == null) {
            throw new IllegalArgumentException("option 3 needs a D/C line");
        }
        if (option == Option.NINE_BIT && (dc != null || shift16)) {
            throw new IllegalArgumentException("option 1 has no D/C line and no shift-register quirk");
        }
        this.dc = dc;
        this.reset = reset;
        this.backlight = backlight;
        this.shift16 = shift16;
        this.readable = readable && spi.canRead();
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        int max = Math.max(2, spi.maxTransfer() & ~1);
        if (option == Option.NINE_BIT) {
            if (max < 9) {
                throw new IllegalArgumentException("option 1 needs a max transfer of at least 9 bytes, got " + max);
            }
            // whole 9-byte blocks, an even number of them where possible so transfers stay even-sized
            int blocks = max / 9 >= 2 ? max / 9 & ~1 : 1;
            this.maxData = blocks * 8;
            this.packBuf = new byte[blocks * 9];
        } else {
            this.maxData = max;
        }
        clocks(spi.speedHz(), Math.min(CMD_MAX_HZ, spi.speedHz()), Math.min(READ_MAX_HZ, spi.speedHz()));
    }

    /** The kernel's mipi_dbi_spi_cmd_max_speed: commands and parameters of up to 64 bytes at no more than this. */
    public static final int CMD_MAX_HZ = 10_000_000;
    /** The kernel's MIPI_DBI_MAX_SPI_READ_SPEED: DCS reads at no more than this. */
    public static final int READ_MAX_HZ = 2_000_000;
    /** Parameter transfers longer than this go at the pixel clock (mipi_dbi_spi_cmd_max_speed). */
    public static final int CMD_MAX_LEN = 64;

    /**
     * Sets the clocks per transfer kind (Hz): pixel data, commands with parameters of up to
     * {@value #CMD_MAX_LEN} bytes, reads. Each becomes the nearest clock the port offers that is not
     * faster (or the port's slowest). The constructor sets the kernel's: the port's speed,
     * min({@value #CMD_MAX_HZ}, speed), min({@value #READ_MAX_HZ}, speed).
     */
    public DbiBus clocks(int pixelHz, int cmdHz, int readHz) {
        this.pixelHz = pick(pixelHz);
        this.cmdHz = pick(cmdHz);
        this.readHz = pick(readHz);
        return this;
    }

    private int pick(int wanted) {
        if (spi.anyClock()) {
            return wanted;
        }
        int best = -1, slowest = Integer.MAX_VALUE;
        for (int hz : spi.clocks()) {
            if (hz <= wanted && hz > best) {
                best = hz;
            }
            slowest = Math.min(slowest, hz);
        }
        return best > 0 ? best : slowest;
    }

    /** The clock of pixel data in Hz. */
    public int pixelHz() {
        return pixelHz;
    }

    /** The clock of commands and their parameters (up to {@value #CMD_MAX_LEN} bytes) in Hz. */
    public int commandHz() {
        return cmdHz;
    }

    /** The clock of DCS reads in Hz. */
    public int readHz() {
        return readHz;
    }

    public SpiPort spi() {
        return spi;
    }

    public Option option() {
        return option;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    /**
     * The largest chunk of data bytes {@link #writeData} sends as one transfer: the max transfer
     * size (even), or for option 1 the multiple of 8 that fits once packed 8 into 9.
     */
    public int maxData() {
        return maxData;
    }

    /** Data-chunk granularity: chunks passed to {@link #writeData} except the last must be multiples of it. */
    public int dataAlign() {
        return option == Option.NINE_BIT ? 8 : 2;
    }

    /** Whether {@link #read} can work (reads wired and supported by the option). */
    public boolean canRead() {
        return readable;
    }

    public boolean hasReset() {
        return reset != null;
    }

    public boolean hasBacklight() {
        return backlight != null;
    }

    /** Whether the backlight has brightness levels (PWM). */
    public boolean backlightDims() {
        return backlight != null && backlight.hasDuty();
    }

    /** Bytes handed to the SPI port since the bus was made (commands, parameters, pixels, padding). */
    public long bytesOut() {
        return bytesOut;
    }

    // ------------------------------------------------------------------ commands

    /** Sends command {@code cmd} with parameters (each 0–255). */
    public void command(int cmd, int... params) throws IOException {
        byte[] p = params.length <= this.params.length ? this.params : new byte[params.length];
        for (int i = 0; i < params.length; i++) {
            p[i] = (byte) params[i];
        }
        commandBuf(cmd, p, 0, params.length);
    }

    /** Sends command {@code cmd} with {@code len} parameter bytes of {@code p} from {@code off}. */
    public void commandBuf(int cmd, byte[] p, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, p.length);
        sendCommandByte(cmd);
        if (len == 0) {
            return;
        }
        if (shift16 && len <= 32) {
            byte[] w = new byte[len * 2];
            for (int i = 0; i < len; i++) {
                w[2 * i + 1] = p[off + i];
            }
            setDc(1);
            out(w, 0, w.length, cmdHz);
            return;
        }
        beginData();
        writeData(p, off, len, len <= CMD_MAX_LEN ? cmdHz : pixelHz);
    }

    /** RAMWR followed by {@code len} bytes of pixel data (split into transfers). */
    public void writePixels(byte[] data, int off, int len) throws IOException {
        writeMemoryStart();
        writeData(data, off, len);
    }

    /** Sends RAMWR and prepares the bus for pixel data: follow with {@link #writeData} calls. */
    public void writeMemoryStart() throws IOException {
        sendCommandByte(WRITE_MEMORY_START);
        beginData();
    }

    /** Sends CASET and RASET for the inclusive window x0..x1, y0..y1 (RAM coordinates). */
    public void setWindow(int x0, int x1, int y0, int y1) throws IOException {
        command(SET_COLUMN, x0 >> 8 & 0xFF, x0 & 0xFF, x1 >> 8 & 0xFF, x1 & 0xFF);
        command(SET_PAGE, y0 >> 8 & 0xFF, y0 & 0xFF, y1 >> 8 & 0xFF, y1 & 0xFF);
    }

    private void sendCommandByte(int cmd) throws IOException {
        if (option == Option.NINE_BIT) {
            byte[] b = packBuf;
            java.util.Arrays.fill(b, 0, 8, (byte) 0);
            b[8] = (byte) cmd;
            out(b, 0, 9, cmdHz);
            return;
        }
        setDc(0);
        if (shift16) {
            small[0] = 0;
            small[1] = (byte) cmd;
            out(small, 0, 2, cmdHz);
        } else {
            small[0] = (byte) cmd;
            out(small, 0, 1, cmdHz);
        }
    }

    /** Puts the bus in data mode (D/C high); a no-op for option 1. */
    public void beginData() throws IOException {
        if (option == Option.D_C_GPIO) {
            setDc(1);
        }
    }

    /**
     * Sends data bytes (parameters or pixels) after a command; splits into transfers of at most
     * {@link #maxData()}. For option 1, every call except the last of a command must pass a
     * multiple of 8 bytes (a shorter tail is padded with NOPs, which would end the command).
     */
    public void writeData(byte[] data, int off, int len) throws IOException {
        writeData(data, off, len, pixelHz);
    }

    private void writeData(byte[] data, int off, int len, int hz) throws IOException {
        Objects.checkFromIndexSize(off, len, data.length);
        if (option == Option.D_C_GPIO) {
            while (len > 0) {
                int n = Math.min(len, maxData);
                out(data, off, n, hz);
                off += n;
                len -= n;
            }
            return;
        }
        while (len > 0) {
            int n = Math.min(len, maxData);
            if (n >= 8) {
                n &= ~7;
            }
            int packed = pack9(data, off, n, packBuf);
            out(packBuf, 0, packed, hz);
            off += n;
            len -= n;
        }
    }

    /**
     * Packs {@code n} data bytes into 9-bit words with D/C = 1, 8 words into 9 bytes; a group of
     * fewer than 8 is padded with NOP (D/C = 0, 0x00) words. Returns the packed length.
     */
    static int pack9(byte[] src, int off, int n, byte[] dst) {
        int d = 0;
        int full = n & ~7;
        for (int i = 0; i < full; i += 8) {
            int s0 = src[off] & 0xFF, s1 = src[off + 1] & 0xFF, s2 = src[off + 2] & 0xFF, s3 = src[off + 3] & 0xFF;
            int s4 = src[off + 4] & 0xFF, s5 = src[off + 5] & 0xFF, s6 = src[off + 6] & 0xFF, s7 = src[off + 7] & 0xFF;
            dst[d] = (byte) (0x80 | s0 >> 1);
            dst[d + 1] = (byte) (s0 << 7 | 0x40 | s1 >> 2);
            dst[d + 2] = (byte) (s1 << 6 | 0x20 | s2 >> 3);
            dst[d + 3] = (byte) (s2 << 5 | 0x10 | s3 >> 4);
            dst[d + 4] = (byte) (s3 << 4 | 0x08 | s4 >> 5);
            dst[d + 5] = (byte) (s4 << 3 | 0x04 | s5 >> 6);
            dst[d + 6] = (byte) (s5 << 2 | 0x02 | s6 >> 7);
            dst[d + 7] = (byte) (s6 << 1 | 0x01);
            dst[d + 8] = (byte) s7;
            off += 8;
            d += 9;
        }
        int rest = n - full;
        if (rest > 0) {
            java.util.Arrays.fill(dst, d, d + 9, (byte) 0);
            int carry = 0;
            int p = d;
            for (int i = 1; i <= rest; i++) {
                int val = src[off++] & 0xFF;
                dst[p++] = (byte) (carry | 1 << (8 - i) | val >> i);
                carry = val << (8 - i) & 0xFF;
            }
            dst[p] = (byte) carry;
            d += 9;
        }
        return d;
    }

    private void setDc(int level) throws IOException {
        if (dcLevel != level) {
            dcLevel = -1; // unknown until the line has really been driven
            dc.set(level == 1);
            dcLevel = level;
        }
    }

    private void out(byte[] b, int off, int len, int hz) throws IOException {
        spi.write(b, off, len, hz);
        bytesOut += len;
    }

    /**
     * Forgets the cached D/C level, so the next command drives the line again (after a failed
     * transfer or when another owner may have moved it).
     */
    public void resync() {
        dcLevel = -1;
    }

    // ------------------------------------------------------------------ reads

    /**
     * A DCS read of {@code len} bytes (the kernel's mipi_dbi_typec3_command_read): D/C low, the
     * command byte, then {@code len} bytes clocked in (one more, shifted, for the 24/32-bit
     * GET_DISPLAY_ID and GET_DISPLAY_STATUS, which start with a dummy clock).
     *
     * @throws DeviceException EOPNOTSUPP when reads are not wired or not supported (option 1 on
     *                         an 8-bit controller, the 16-bit shift register)
     */
    public byte[] read(int cmd, int len) throws IOException {
        if (!readable || option != Option.D_C_GPIO || shift16) {
            throw new DeviceException(Errno.EOPNOTSUPP, spi.describe() + ": reads are not wired on this bus");
        }
        if (len <= 0) {
            throw new DeviceException(Errno.EINVAL, "read of " + len + " bytes");
        }
        boolean dummy = cmd == GET_DISPLAY_ID || cmd == GET_DISPLAY_STATUS;
        if (dummy && !(len == 3 || len == 4)) {
            throw new DeviceException(Errno.EINVAL, "command 0x" + Integer.toHexString(cmd) + " reads 3 or 4 bytes, not " + len);
        }
        int rlen = dummy ? len + 1 : len;
        byte[] tx = new byte[1 + rlen];
        byte[] rx = new byte[1 + rlen];
        tx[0] = (byte) cmd;
        setDc(0);
        spi.transfer(tx, rx, tx.length, readHz);
        bytesOut += tx.length;
        byte[] data = new byte[len];
        if (!dummy) {
            System.arraycopy(rx, 1, data, 0, len);
        } else {
            for (int i = 0; i < len; i++) {
                data[i] = (byte) ((rx[1 + i] & 0xFF) << 1 | (rx[2 + i] & 0xFF) >> 7);
            }
        }
        return data;
    }

    /**
     * The kernel's mipi_dbi_display_is_on: reads the power mode (where reads work) and answers
     * whether it says "display on, normal mode, sleep out" (0x9C with the reserved bits cleared).
     * A failed read answers false; ENODEV is passed on.
     */
    public boolean displayIsOn() throws org.paneld.drivers.core.NoDeviceException {
        if (!canRead() || option != Option.D_C_GPIO || shift16) {
            return false;
        }
        try {
            int v = read(GET_POWER_MODE, 1)[0] & 0xFF;
            v &= ~(0x01 | 0x02 | 0x80);
            return v == (0x04 | 0x08 | 0x10);
        } catch (org.paneld.drivers.core.NoDeviceException e) {
            throw e;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ reset and backlight

    /** The kernel's mipi_dbi_hw_reset: reset low, 20 µs, high, 120 ms. No-op without a reset line. */
    public void hardReset() throws IOException {
        if (reset == null) {
            return;
        }
        reset.set(false);
        sleeper.sleepMicros(20);
        reset.set(true);
        sleeper.sleepMillis(120);
    }

    /** Sets the backlight: 0 off, 100 full; a plain GPIO is on for any level above 0. No-op without one. */
    public void backlight(int percent) throws IOException {
        if (backlight == null) {
            return;
        }
        backlight.duty(Math.max(0, Math.min(100, percent)));
    }

    @Override
    public String toString() {
        return "DbiBus[" + spi.describe() + ", " + (option == Option.D_C_GPIO ? "option 3" : "option 1")
                + (shift16 ? ", 16-bit shift register" : "") + "]";
    }
}
