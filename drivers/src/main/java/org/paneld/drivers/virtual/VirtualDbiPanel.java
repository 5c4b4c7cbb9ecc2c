package org.paneld.drivers.virtual;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.RgbImage;

/**
 * An emulated MIPI DBI display controller with its glass: the physical panel behind a virtual
 * SPI bus. It is driven by exactly what the real wire carries — bytes with the D/C level
 * ({@link #write}, type C option 3), 9-bit words packed into bytes ({@link #writeOption1}, option 1
 * on an 8-bit SPI) or native ({@link #writeWords9}), the
 * reset line ({@link #setReset}) and the backlight ({@link #setBacklight}) — and decodes them
 * with the controller's semantics into its graphics RAM (GRAM). It is the physical device: it
 * outlives driver bindings (a rebind finds the GRAM as the last binding left it). Threads: any;
 * every method is synchronized.
 *
 * <h2>Coordinates</h2>
 * The GRAM is {@code gramWidth x gramHeight} pixels in the controller's <em>native</em> order
 * (column, row). The host addresses it through CASET (columns {@code xs..xe}, inclusive) and
 * RASET (rows {@code ys..ye}, inclusive) in <em>logical</em> coordinates, which MADCTL maps to
 * physical GRAM exactly as the Sitronix/Ilitek datasheets' "memory data write direction" table
 * says: with MV the column counter drives the physical row and the row counter the physical
 * column; then MX mirrors the physical column ({@code gramWidth-1-c}) and MY the physical row
 * ({@code gramHeight-1-r}) — mirrors are over the whole GRAM, which is why a glass smaller than
 * the GRAM needs different RAM offsets when rotated (the ST7789V 240x240 at y 80). Pixels go in
 * at the window start on RAMWR, column counter first, wrapping to the next row after
 * {@code xe} and back to the window start after {@code ye}; RAMWRC continues where the last write
 * stopped. ML, MH (refresh order) do not change the picture and are ignored.
 *
 * <h2>What a person sees</h2>
 * The glass shows the GRAM rectangle {@link Model#glassX}, {@link Model#glassY},
 * {@link Model#glassWidth} x {@link Model#glassHeight}, always scanned in native order
 * ({@link #glassImage()}). How the module is mounted is given by {@link Model#mountMadctl}: the
 * MADCTL orientation bits with which a host image written in logical order appears upright at
 * rotation 0 (for example 0xE0 on the mi0283qt, whose 320x240 landscape is the controller's
 * 240x320 portrait turned). {@link #snapshot(int)} returns the picture as a person sees it when
 * the panel is used at {@code rotation} degrees: the rotation-0 view with its content turned
 * {@code rotation} degrees <em>counter-clockwise</em> (DRM's convention; the person turns the
 * panel clockwise to read it). So a driver that rotates with MADCTL and writes the client image in
 * rotated coordinates passes when {@code snapshot(rotation)} equals the client image (after the
 * panel's colour quantisation). {@link Model#madctlFor(int)} gives the orientation bits that satisfy
 * this for a rotation, {@link Model#ramOffset(int)} the RAM offsets that go with them. The
 * kernel's mi0283qt, ili9486 and st7735r tables follow this convention; its ili9341
 * (yx240qv29) and hx8357d tables turn the other way (their "90" shows upright in
 * {@code snapshot(270)}).
 *
 * <p>Colours: GRAM keeps each pixel as the 8-bit-per-channel value of what was written at the
 * depth it was written (RGB565 expanded by bit replication, 18-bit by replicating the top bits),
 * so 16-bit writes show as {@code Rgb.quantize565} and 18-bit ones as {@code Rgb.quantize666}.
 * The glass swaps red and blue when the MADCTL BGR bit differs from the glass's colour-filter
 * order ({@link Model#bgrPanel}), inverts when INVON differs from {@link Model#invertedGlass}
 * (IPS glass needs INVON), and is black while the reset line is held, asleep, with the display
 * off, or with the backlight at 0. Backlight levels above 0 do not dim the snapshot.
 *
 * <h2>Protocol checking</h2>
 * Violations are collected as text with the wire position ({@link #violations()},
 * {@link #assertNoViolations()}): pixel data with no RAMWR/RAMWRC in progress, pixel data while
 * asleep, an unknown command, wrong parameter counts for CASET/RASET/MADCTL/COLMOD, a window
 * outside GRAM or with start after end, a memory write ending in the middle of a pixel, anything
 * written while reset is held, a non-zero high byte through the 16-bit shift register, an
 * unusable COLMOD, and the timing rules — 5 ms after reset release, SWRESET, SLPOUT and SLPIN
 * before the next command, 120 ms between SLPOUT and SLPIN either way, 120 ms after reset (or a
 * SWRESET sent while awake) before SLPOUT. Time is the wall clock plus whatever a virtual bus
 * declared with {@link #elapse} for a sleep it skipped, so tests stay fast and a driver that did
 * not wait at all is caught. {@link #commandLog()} records every command with its parameters
 * (memory writes summarised as a byte count), the hardware reset pulses, and reads.
 */
public final class VirtualDbiPanel implements VirtualHardware {

    // DCS command codes the emulator acts on
    public static final int NOP = 0x00;
    public static final int SWRESET = 0x01;
    public static final int RDDID = 0x04;
    public static final int RDDST = 0x09;
    public static final int RDDPM = 0x0A;
    public static final int RDDMADCTL = 0x0B;
    public static final int RDDCOLMOD = 0x0C;
    public static final int SLPIN = 0x10;
    public static final int SLPOUT = 0x11;
    public static final int INVOFF = 0x20;
    public static final int INVON = 0x21;
    public static final int DISPOFF = 0x28;
    public static final int DISPON = 0x29;
    public static final int CASET = 0x2A;
    public static final int RASET = 0x2B;
    public static final int RAMWR = 0x2C;
    public static final int MADCTL = 0x36;
    public static final int COLMOD = 0x3A;
    public static final int RAMWRC = 0x3C;

    public static final int MADCTL_MY = 0x80;
    public static final int MADCTL_MX = 0x40;
    public static final int MADCTL_MV = 0x20;
    public static final int MADCTL_BGR = 0x08;

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MAX_VIOLATIONS = 200;
    private static final int MAX_PARAMS = 4096;

    private final Model model;
    private final int[] gram;

    // line state
    private boolean resetHeld;
    private int backlight = 100;
    private int viewRotation;

    // controller registers
    private boolean sleeping;
    private boolean displayOn;
    private boolean inverted;
    private int madctl;
    private int colmod;
    private int xs, xe, ys, ye;
    private int cx, cy;

    // decoder state
    private int cmd = -1;                 // command whose parameters/data are arriving, -1 none
    private byte[] params = new byte[16];
    private int paramCount;
    private long dataBytes;
    private boolean memoryWrite;          // cmd is RAMWR/RAMWRC and pixels are being taken
    private boolean burstHadPixel;
    private boolean strayDataReported;
    private final int[] pend = new int[3];
    private int pendLen;
    private int shiftHigh = -1;           // pending high byte of a 16-bit shift-register word
    private boolean shiftDc;
    private boolean currentUnlogged;      // the command in progress was cleared from the log

    // accounting
    private long bytesReceived;
    private int framesWritten;
    private final List<String> violations = new ArrayList<>();
    private int violationCount;
    private final List<Command> log = new ArrayList<>();

    // timing (nanos on the panel clock)
    private boolean timingChecks = true;
    private long skippedNanos;
    private long resetReleasedAt = Long.MIN_VALUE / 2;
    private long swresetAt = Long.MIN_VALUE / 2;
    private boolean swresetWhileAwake;
    private long slpoutAt = Long.MIN_VALUE / 2;
    private long slpinAt = Long.MIN_VALUE / 2;
    private long lastCommandAt = Long.MIN_VALUE / 2;
    private int lastTimedCommand = -1;    // the last of reset(-1)/SWRESET/SLPOUT/SLPIN seen

    /** A powered panel just after power-on reset: asleep, display off, GRAM black. */
    public VirtualDbiPanel(Model model) {
        this.model = Objects.requireNonNull(model, "model");
        this.gram = new int[model.gramWidth * model.gramHeight];
        resetRegisters();
    }

    public Model model() {
        return model;
    }

    // ================================================================= wire side

    /**
     * Option 3: {@code len} bytes of one SPI transfer with the D/C line at {@code dcHigh}
     * (low: command byte(s); high: parameters or pixel data). Through the 16-bit shift register
     * ({@link Model#shiftRegister16}) the bytes pair up into big-endian 16-bit words.
     */
    public synchronized void write(boolean dcHigh, byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        long start = bytesReceived;
        bytesReceived += len;
        if (resetHeld) {
            violation(start, "write of " + len + " bytes while reset is held");
            return;
        }
        if (model.option1) {
            violation(start, "D/C-framed write on a panel wired for option 1 (no D/C line)");
            return;
        }
        if (!model.shiftRegister16) {
            if (!dcHigh) {
                for (int i = 0; i < len; i++) {
                    command(bytes[off + i] & 0xFF, start + i);
                }
            } else {
                data(bytes, off, len, start);
            }
            return;
        }
        // 16-bit shift register: every transfer is a sequence of big-endian 16-bit words
        if (shiftHigh >= 0 && shiftDc != dcHigh) {
            violation(start, "D/C changed in the middle of a 16-bit shift-register word");
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
            violation(start + len - 1, "transfer of " + len + " bytes ends in the middle of a 16-bit "
                    + "shift-register word (odd byte count)");
            shiftHigh = -1;
        }
    }

    /**
     * Option 1 on an 8-bit-only SPI: 9-bit words (bit 8 = D/C) packed MSB-first, eight words per
     * nine bytes, as the kernel's mipi_dbi_spi1e_transfer sends them (commands with seven NOP words
     * in front, data tails padded with NOP words). A transfer must hold whole words.
     */
    public synchronized void writeOption1(byte[] packed, int off, int len) {
        Objects.checkFromIndexSize(off, len, packed.length);
        long start = bytesReceived;
        bytesReceived += len;
        if (resetHeld) {
            violation(start, "write of " + len + " bytes while reset is held");
            return;
        }
        if (!model.option1) {
            violation(start, "option-1 (9-bit) transfer on a panel wired for option 3 (D/C line)");
            return;
        }
        long bits = (long) len * 8;
        long words = bits / 9;
        int acc = 0, accBits = 0, i = 0;
        byte[] one = new byte[1];
        for (long w = 0; w < words; w++) {
            while (accBits < 9) {
                acc = (acc << 8 | (packed[off + i++] & 0xFF)) & 0xFFFF;
                accBits += 8;
            }
            int word = acc >> (accBits - 9) & 0x1FF;
            accBits -= 9;
            word9(word, start + (w * 9) / 8, one);
        }
        if (bits % 9 != 0) {
            violation(start + len - 1, "option-1 transfer of " + len + " bytes is not a whole number of 9-bit "
                    + "words (" + bits % 9 + " bits left over; the kernel sends blocks of 9 bytes)");
        }
    }

    /**
     * Option 1 on a controller that does 9-bit SPI words natively (the kernel's
     * mipi_dbi_spi1_transfer with bits_per_word 9): each element is one word, bit 8 = D/C.
     */
    public synchronized void writeWords9(short[] words, int off, int len) {
        Objects.checkFromIndexSize(off, len, words.length);
        long start = bytesReceived;
        bytesReceived += 2L * len;
        if (resetHeld) {
            violation(start, "write of " + len + " words while reset is held");
            return;
        }
        if (!model.option1) {
            violation(start, "option-1 (9-bit) transfer on a panel wired for option 3 (D/C line)");
            return;
        }
        byte[] one = new byte[1];
        for (int i = 0; i < len; i++) {
            if ((words[off + i] & 0xFE00) != 0) {
                violation(start + 2L * i, String.format("9-bit word 0x%04X has bits above bit 8", words[off + i]));
            }
            word9(words[off + i] & 0x1FF, start + 2L * i, one);
        }
    }

    private void word9(int word, long pos, byte[] one) {
        if ((word & 0x100) == 0) {
            int c = word & 0xFF;
            if (c == NOP) {
                endCommand(); // a NOP word (framing padding) ends a memory write, logged as nothing
                return;
            }
            command(c, pos);
        } else {
            one[0] = (byte) word;
            data(one, 0, 1, pos);
        }
    }

    /**
     * The reset line (true = asserted, i.e. RESX low). Releasing it after an assertion resets the
     * controller: asleep, display off, inversion off, MADCTL 0, COLMOD default, full window. GRAM
     * keeps its contents (the glass is dark until the driver wakes it anyway).
     */
    public synchronized void setReset(boolean asserted) {
        if (asserted == resetHeld) {
            return;
        }
        endCommand();
        resetHeld = asserted;
        if (!asserted) {
            resetRegisters();
            resetReleasedAt = now();
            lastTimedCommand = -1;
            swresetWhileAwake = false;
            log.add(Command.reset());
        }
    }

    /** Backlight level 0..100; 0 is off. A board with no backlight line keeps the default 100. */
    public synchronized void setBacklight(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("backlight must be 0..100, got " + percent);
        }
        backlight = percent;
    }

    /**
     * A register read: the command goes out (ending any memory write), then {@code length}
     * bytes come back. 0x0A power mode (bit 7 booster, bit 4 sleep out, bit 3 normal mode, bit 2
     * display on), 0x0B MADCTL, 0x0C COLMOD, 0x09 status (4 bytes), 0x04 display id (3 bytes);
     * other reads return zeros and are a violation. A write-only board (no MISO,
     * {@link Model#readable} false) returns zeros.
     */
    public synchronized byte[] read(int command, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative read length " + length);
        }
        byte[] out = new byte[length];
        long pos = bytesReceived;
        bytesReceived += 1;
        if (resetHeld) {
            violation(pos, String.format("read 0x%02X while reset is held", command & 0xFF));
            return out;
        }
        endCommand();
        checkTiming(command & 0xFF, pos);
        byte[] value;
        switch (command & 0xFF) {
            case RDDPM:
                value = new byte[] {(byte) powerMode()};
                break;
            case RDDMADCTL:
                value = new byte[] {(byte) madctl};
                break;
            case RDDCOLMOD:
                value = new byte[] {(byte) colmod};
                break;
            case RDDST:
                value = new byte[] {
                    (byte) ((sleeping ? 0 : 0x80) | (madctl & 0xFC) >> 1),
                    (byte) ((colmod & 0x07) << 4 | (sleeping ? 0 : 0x02) | 0x01),
                    (byte) ((inverted ? 0x20 : 0) | (displayOn ? 0x04 : 0)),
                    0};
                break;
            case RDDID:
                value = model.displayId.clone();
                break;
            default:
                violation(pos, String.format("read of unsupported register 0x%02X", command & 0xFF));
                value = new byte[0];
        }
        if (model.readable) {
            System.arraycopy(value, 0, out, 0, Math.min(length, value.length));
        }
        log.add(Command.read(command & 0xFF, out));
        return out;
    }

    /**
     * Declares that {@code nanos} of time passed that the caller did not spend really waiting
     * (a virtual bus skipping a driver's sleep). Counts for the timing rules.
     */
    public synchronized void elapse(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative time " + nanos);
        }
        skippedNanos += nanos;
    }

    /** Switches the timing rules (5 ms / 120 ms) on or off; on by default. */
    public synchronized void setTimingChecks(boolean on) {
        timingChecks = on;
    }

    // ================================================================= observing

    /** Protocol violations so far, each "byte N: what" (the first 200, then a count). */
    public synchronized List<String> violations() {
        List<String> out = new ArrayList<>(violations);
        if (violationCount > violations.size()) {
            out.add("... and " + (violationCount - violations.size()) + " more");
        }
        return Collections.unmodifiableList(out);
    }

    /** Throws AssertionError listing the (first 20) violations, if there are any. */
    public synchronized void assertNoViolations() {
        if (violationCount > 0) {
            List<String> first = violations.subList(0, Math.min(20, violations.size()));
            throw new AssertionError(model.name + ": " + violationCount + " protocol violation(s):\n  "
                    + String.join("\n  ", first) + (violationCount > first.size()
                    ? "\n  ... and " + (violationCount - first.size()) + " more" : ""));
        }
    }

    /** Forgets the violations recorded so far (e.g. after a test provoked some on purpose). */
    public synchronized void clearViolations() {
        violations.clear();
        violationCount = 0;
    }

    /** Every command so far, in wire order (the current one with the parameters received so far). */
    public synchronized List<Command> commandLog() {
        List<Command> out = new ArrayList<>(log.size() + 1);
        out.addAll(log);
        if (cmd >= 0 && !currentUnlogged) {
            out.add(current());
        }
        return Collections.unmodifiableList(out);
    }

    /** Forgets the command log, including the command in progress. */
    public synchronized void clearCommandLog() {
        log.clear();
        currentUnlogged = cmd >= 0;
    }

    /** Bytes received on the wire (commands, parameters, pixels, packed option-1 bytes). */
    public synchronized long bytesReceived() {
        return bytesReceived;
    }

    /** Memory-write bursts (RAMWR or RAMWRC) that stored at least one pixel. */
    public synchronized int framesWritten() {
        return framesWritten;
    }

    public synchronized boolean isSleeping() {
        return sleeping;
    }

    public synchronized boolean isDisplayOn() {
        return displayOn;
    }

    public synchronized boolean isInverted() {
        return inverted;
    }

    public synchronized boolean isResetHeld() {
        return resetHeld;
    }

    public synchronized int madctl() {
        return madctl;
    }

    public synchronized int colmod() {
        return colmod;
    }

    public synchronized int backlight() {
        return backlight;
    }

    /** The window as {xs, xe, ys, ye} (logical, inclusive). */
    public synchronized int[] window() {
        return new int[] {xs, xe, ys, ye};
    }

    /** The rotation {@link #snapshot()} uses (the configured rotation of a virtual backend). */
    public synchronized void setViewRotation(int rotation) {
        checkRotation(rotation);
        viewRotation = rotation;
    }

    /** What a person sees at the configured view rotation (0 unless {@link #setViewRotation} said otherwise). */
    @Override
    public synchronized RgbImage snapshot() {
        return snapshot(viewRotation);
    }

    /**
     * What a person sees with the panel used at {@code rotation} degrees (0, 90, 180, 270): the
     * rotation-0 view (mount applied) with its content turned counter-clockwise by
     * {@code rotation}; black when the glass is dark.
     */
    public synchronized RgbImage snapshot(int rotation) {
        checkRotation(rotation);
        boolean mv = (model.mountMadctl & MADCTL_MV) != 0;
        int vw = mv ? model.glassHeight : model.glassWidth;
        int vh = mv ? model.glassWidth : model.glassHeight;
        boolean turned = rotation == 90 || rotation == 270;
        int w = turned ? vh : vw, h = turned ? vw : vh;
        int[] out = new int[w * h];
        if (!lit()) {
            return new RgbImage(w, h, out);
        }
        int[] g = glassPixels();
        int[] at = new int[2];
        for (int qy = 0; qy < h; qy++) {
            for (int qx = 0; qx < w; qx++) {
                int px, py;
                switch (rotation) {
                    case 0: px = qx; py = qy; break;
                    case 90: px = qy; py = vh - 1 - qx; break;
                    case 180: px = vw - 1 - qx; py = vh - 1 - qy; break;
                    default: px = vw - 1 - qy; py = qx; break;
                }
                map(model.mountMadctl, px, py, model.glassWidth, model.glassHeight, at);
                out[qy * w + qx] = g[at[1] * model.glassWidth + at[0]];
            }
        }
        return new RgbImage(w, h, out);
    }

    /** The glass in native scan order, as shown (colour rules applied; black when dark). */
    public synchronized RgbImage glassImage() {
        return new RgbImage(model.glassWidth, model.glassHeight,
                lit() ? glassPixels() : new int[model.glassWidth * model.glassHeight]);
    }

    /** Raw GRAM ({@code gramWidth x gramHeight}, native order) as written, no display rules applied. */
    public synchronized RgbImage gram() {
        return new RgbImage(model.gramWidth, model.gramHeight, gram.clone());
    }

    @Override
    public synchronized String describe() {
        String state = resetHeld ? "in reset" : sleeping ? "asleep" : displayOn ? "on" : "display off";
        return model.name + " " + model.viewWidth() + "x" + model.viewHeight() + ", " + state
                + ", backlight " + backlight + "%, " + framesWritten + " writes"
                + (violationCount > 0 ? ", " + violationCount + " violations" : "");
    }

    // ================================================================= decoding

    private void word16(boolean dcHigh, int word, long pos) {
        if (!dcHigh) {
            if ((word & 0xFF00) != 0) {
                violation(pos, String.format("command word 0x%04X through the 16-bit shift register has a "
                        + "non-zero high byte", word));
            }
            command(word & 0xFF, pos);
            return;
        }
        if (memoryWrite) {
            if (bitsPerPixel() != 16) {
                violation(pos, "18-bit pixel data through the 16-bit shift register is not supported");
                return;
            }
            pixels(new byte[] {(byte) (word >> 8), (byte) word}, 0, 2, pos); // one bus cycle, one pixel
            return;
        }
        if ((word & 0xFF00) != 0) {
            violation(pos, String.format("parameter word 0x%04X through the 16-bit shift register has a "
                    + "non-zero high byte", word));
        }
        byte[] one = {(byte) word};
        data(one, 0, 1, pos);
    }

    private void command(int c, long pos) {
        endCommand();
        checkTiming(c, pos);
        if (!model.known.get(c)) {
            violation(pos, String.format("unknown command 0x%02X for %s", c, model.name));
        }
        cmd = c;
        paramCount = 0;
        dataBytes = 0;
        strayDataReported = false;
        switch (c) {
            case SWRESET:
                swresetWhileAwake = !sleeping;
                resetRegisters();
                break;
            case SLPIN:
                sleeping = true;
                break;
            case SLPOUT:
                sleeping = false;
                break;
            case INVOFF:
                inverted = false;
                break;
            case INVON:
                inverted = true;
                break;
            case DISPOFF:
                displayOn = false;
                break;
            case DISPON:
                displayOn = true;
                break;
            case RAMWR:
            case RAMWRC:
                startMemoryWrite(c, pos);
                break;
            default:
                break;
        }
    }

    private void startMemoryWrite(int c, long pos) {
        memoryWrite = true;
        burstHadPixel = false;
        pendLen = 0;
        int lw = logicalWidth(), lh = logicalHeight();
        if (xe >= lw || ye >= lh) {
            violation(pos, String.format("%s into window columns %d..%d rows %d..%d outside the %dx%d GRAM "
                    + "(MADCTL 0x%02X)", c == RAMWR ? "RAMWR" : "RAMWRC", xs, xe, ys, ye, lw, lh, madctl));
        }
        if (c == RAMWR || cx < xs || cx > xe || cy < ys || cy > ye) {
            cx = xs;
            cy = ys;
        }
    }

    private void data(byte[] b, int off, int len, long pos) {
        if (cmd < 0) {
            if (!strayDataReported) {
                violation(pos, len + " data byte(s) with no command in progress");
                strayDataReported = true;
            }
            return;
        }
        if (memoryWrite) {
            pixels(b, off, len, pos);
            return;
        }
        if (cmd == NOP || cmd == SWRESET || cmd == SLPIN || cmd == SLPOUT || cmd == DISPON || cmd == DISPOFF
                || cmd == INVON || cmd == INVOFF) {
            if (!strayDataReported) {
                violation(pos, String.format("pixel or parameter data after command 0x%02X, which takes none "
                        + "(no RAMWR in progress)", cmd));
                strayDataReported = true;
            }
            return;
        }
        for (int i = 0; i < len; i++) {
            if (paramCount < MAX_PARAMS) { // keep the first 4096; count the rest
                if (paramCount == params.length) {
                    params = Arrays.copyOf(params, params.length * 2);
                }
                params[paramCount] = b[off + i];
            } else if (!strayDataReported) {
                violation(pos + i, String.format("more than %d parameter bytes after command 0x%02X "
                        + "(pixel data without RAMWR?)", MAX_PARAMS, cmd));
                strayDataReported = true;
            }
            paramCount++;
            if (paramCount <= 4) {
                applyEarly();
            }
        }
    }

    /** Registers take effect as soon as their parameters are complete. */
    private void applyEarly() {
        switch (cmd) {
            case MADCTL:
                if (paramCount == 1) {
                    madctl = params[0] & 0xFF;
                }
                break;
            case COLMOD:
                if (paramCount == 1) {
                    setColmod(params[0] & 0xFF);
                }
                break;
            case CASET:
                if (paramCount == 4) {
                    xs = u16(0);
                    xe = u16(2);
                }
                break;
            case RASET:
                if (paramCount == 4) {
                    ys = u16(0);
                    ye = u16(2);
                }
                break;
            default:
                break;
        }
    }

    private void setColmod(int v) {
        int depth = v & 0x07;
        if (depth != 5 && depth != 6) {
            violation(bytesReceived, String.format("COLMOD 0x%02X: only 0x55 (16-bit) and 0x66 (18-bit) "
                    + "pixel formats are emulated", v));
            return;
        }
        if (depth == 5 && model.needs18Bit) {
            violation(bytesReceived, String.format("COLMOD 0x%02X (16-bit) is ignored by %s on SPI: it "
                    + "keeps taking 18-bit pixels", v, model.name));
        }
        colmod = v;
    }

    private int u16(int i) {
        return (params[i] & 0xFF) << 8 | (params[i + 1] & 0xFF);
    }

    /** Ends the command in progress: final checks on its parameters, then into the log. */
    private void endCommand() {
        if (cmd < 0) {
            return;
        }
        long pos = bytesReceived;
        switch (cmd) {
            case CASET:
            case RASET:
                if (paramCount != 4) {
                    violation(pos, String.format("%s with %d parameter bytes (needs 4)",
                            cmd == CASET ? "CASET" : "RASET", paramCount));
                } else if (u16(0) > u16(2)) {
                    violation(pos, String.format("%s start %d after end %d", cmd == CASET ? "CASET" : "RASET",
                            u16(0), u16(2)));
                }
                break;
            case MADCTL:
            case COLMOD:
                if (paramCount != 1) {
                    violation(pos, String.format("%s with %d parameter bytes (needs 1)",
                            cmd == MADCTL ? "MADCTL" : "COLMOD", paramCount));
                }
                break;
            case RAMWR:
            case RAMWRC:
                if (pendLen != 0) {
                    violation(pos, String.format("memory write ended with %d byte(s) of an incomplete %d-bit "
                            + "pixel", pendLen, bitsPerPixel()));
                }
                break;
            default:
                break;
        }
        if (!currentUnlogged) {
            log.add(current());
        }
        currentUnlogged = false;
        cmd = -1;
        memoryWrite = false;
        pendLen = 0;
    }

    private Command current() {
        if (cmd == RAMWR || cmd == RAMWRC) {
            return new Command(cmd, new byte[0], dataBytes, false);
        }
        return new Command(cmd, Arrays.copyOf(params, Math.min(paramCount, MAX_PARAMS)), 0, false);
    }

    private void pixels(byte[] b, int off, int len, long pos) {
        dataBytes += len;
        if (sleeping && !strayDataReported) {
            violation(pos, "pixel data while the controller is asleep (no SLPOUT since reset/SLPIN)");
            strayDataReported = true;
        }
        if (bitsPerPixel() == 16) {
            for (int i = 0; i < len; i++) {
                pend[pendLen++] = b[off + i] & 0xFF;
                if (pendLen == 2) {
                    pendLen = 0;
                    pixel565(pend[0] << 8 | pend[1], pos + i);
                }
            }
        } else {
            for (int i = 0; i < len; i++) {
                pend[pendLen++] = b[off + i] & 0xFC;
                if (pendLen == 3) {
                    pendLen = 0;
                    int r = pend[0] | pend[0] >> 6, g = pend[1] | pend[1] >> 6, bl = pend[2] | pend[2] >> 6;
                    store(r << 16 | g << 8 | bl);
                }
            }
        }
    }

    private void pixel565(int v, long pos) {
        int r = v >> 11 & 0x1F, g = v >> 5 & 0x3F, b = v & 0x1F;
        store((r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2));
    }

    private void store(int rgb) {
        if (!burstHadPixel) {
            burstHadPixel = true;
            framesWritten++;
        }
        int c, r;
        if ((madctl & MADCTL_MV) != 0) {
            c = cy;
            r = cx;
        } else {
            c = cx;
            r = cy;
        }
        if ((madctl & MADCTL_MX) != 0) {
            c = model.gramWidth - 1 - c;
        }
        if ((madctl & MADCTL_MY) != 0) {
            r = model.gramHeight - 1 - r;
        }
        if (c >= 0 && c < model.gramWidth && r >= 0 && r < model.gramHeight) {
            gram[r * model.gramWidth + c] = rgb;
        }
        if (++cx > xe) {
            cx = xs;
            if (++cy > ye) {
                cy = ys;
            }
        }
    }

    private int bitsPerPixel() {
        return model.needs18Bit || (colmod & 0x07) == 6 ? 18 : 16;
    }

    private int logicalWidth() {
        return (madctl & MADCTL_MV) != 0 ? model.gramHeight : model.gramWidth;
    }

    private int logicalHeight() {
        return (madctl & MADCTL_MV) != 0 ? model.gramWidth : model.gramHeight;
    }

    private void resetRegisters() {
        sleeping = true;
        displayOn = false;
        inverted = false;
        madctl = 0;
        colmod = model.defaultColmod;
        xs = 0;
        xe = model.gramWidth - 1;
        ys = 0;
        ye = model.gramHeight - 1;
        cx = 0;
        cy = 0;
        memoryWrite = false;
        pendLen = 0;
    }

    private int powerMode() {
        return (sleeping ? 0 : 0x80 | 0x10) | 0x08 | (displayOn ? 0x04 : 0);
    }

    // ================================================================= timing

    private long now() {
        return System.nanoTime() + skippedNanos;
    }

    private void checkTiming(int c, long pos) {
        long t = now();
        if (timingChecks) {
            if (t - resetReleasedAt < 5 * MS) {
                violation(pos, String.format("command 0x%02X %s after reset release (wait 5 ms)", c,
                        ms(t - resetReleasedAt)));
            } else if (lastTimedCommand >= 0 && t - lastCommandAt < 5 * MS && c != NOP) {
                violation(pos, String.format("command 0x%02X %s after %s (wait 5 ms)", c, ms(t - lastCommandAt),
                        name(lastTimedCommand)));
            }
            if (c == SLPOUT) {
                if (t - resetReleasedAt < 120 * MS) {
                    violation(pos, "SLPOUT " + ms(t - resetReleasedAt) + " after reset release (wait 120 ms)");
                } else if (swresetWhileAwake && t - swresetAt < 120 * MS) {
                    violation(pos, "SLPOUT " + ms(t - swresetAt) + " after a SWRESET sent while awake (wait 120 ms)");
                }
                if (t - slpinAt < 120 * MS) {
                    violation(pos, "SLPOUT " + ms(t - slpinAt) + " after SLPIN (wait 120 ms)");
                }
            } else if (c == SLPIN && t - slpoutAt < 120 * MS) {
                violation(pos, "SLPIN " + ms(t - slpoutAt) + " after SLPOUT (wait 120 ms)");
            }
        }
        switch (c) {
            case SWRESET:
                swresetAt = t;
                lastTimedCommand = c;
                lastCommandAt = t;
                break;
            case SLPOUT:
                slpoutAt = t;
                lastTimedCommand = c;
                lastCommandAt = t;
                break;
            case SLPIN:
                slpinAt = t;
                lastTimedCommand = c;
                lastCommandAt = t;
                break;
            default:
                lastTimedCommand = -1;
                break;
        }
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

    private static String name(int c) {
        switch (c) {
            case SWRESET: return "SWRESET";
            case SLPOUT: return "SLPOUT";
            case SLPIN: return "SLPIN";
            default: return String.format("0x%02X", c);
        }
    }

    private void violation(long pos, String what) {
        violationCount++;
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add("byte " + pos + ": " + what);
        }
    }

    // ================================================================= display

    private boolean lit() {
        return !resetHeld && !sleeping && displayOn && backlight > 0;
    }

    private int[] glassPixels() {
        int gw = model.glassWidth, gh = model.glassHeight;
        int[] out = new int[gw * gh];
        boolean swap = ((madctl & MADCTL_BGR) != 0) != model.bgrPanel;
        boolean invert = inverted != model.invertedGlass;
        for (int y = 0; y < gh; y++) {
            int src = (model.glassY + y) * model.gramWidth + model.glassX;
            for (int x = 0; x < gw; x++) {
                int c = gram[src + x];
                if (swap) {
                    c = (c & 0x00FF00) | (c >> 16 & 0xFF) | (c & 0xFF) << 16;
                }
                if (invert) {
                    c ^= 0xFFFFFF;
                }
                out[y * gw + x] = c;
            }
        }
        return out;
    }

    /** MADCTL's logical-to-physical map on a {@code w x h} native frame; result in {@code out} as {col, row}. */
    static void map(int madctl, int x, int y, int w, int h, int[] out) {
        int c, r;
        if ((madctl & MADCTL_MV) != 0) {
            c = y;
            r = x;
        } else {
            c = x;
            r = y;
        }
        if ((madctl & MADCTL_MX) != 0) {
            c = w - 1 - c;
        }
        if ((madctl & MADCTL_MY) != 0) {
            r = h - 1 - r;
        }
        out[0] = c;
        out[1] = r;
    }

    private static int checkRotation(int rotation) {
        if (rotation != 0 && rotation != 90 && rotation != 180 && rotation != 270) {
            throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270, got " + rotation);
        }
        return rotation;
    }

    // ================================================================= types

    /**
     * One entry of the command log: a command with its parameter bytes; a memory write
     * (RAMWR/RAMWRC) with the number of pixel bytes instead; a register read with the bytes it
     * returned; or a hardware reset pulse ({@link #reset()}, code -1). Equality compares code,
     * parameters, data byte count and kind. Immutable; any thread.
     */
    public static final class Command {
        private final int code;
        private final byte[] params;
        private final long dataBytes;
        private final boolean read;

        Command(int code, byte[] params, long dataBytes, boolean read) {
            this.code = code;
            this.params = params;
            this.dataBytes = dataBytes;
            this.read = read;
        }

        /** A command with parameters, as a test expects it: {@code Command.of(0x36, 0xE8)}. */
        public static Command of(int code, int... params) {
            byte[] p = new byte[params.length];
            for (int i = 0; i < p.length; i++) {
                if (params[i] < 0 || params[i] > 0xFF) {
                    throw new IllegalArgumentException("parameter " + params[i] + " is not a byte");
                }
                p[i] = (byte) params[i];
            }
            return new Command(code & 0xFF, p, 0, false);
        }

        /** A memory write (RAMWR or RAMWRC) that carried {@code bytes} pixel bytes. */
        public static Command memoryWrite(int code, long bytes) {
            return new Command(code & 0xFF, new byte[0], bytes, false);
        }

        /** A hardware reset pulse. */
        public static Command reset() {
            return new Command(-1, new byte[0], 0, false);
        }

        static Command read(int code, byte[] result) {
            return new Command(code, result.clone(), 0, true);
        }

        /** The command byte, or -1 for a reset pulse. */
        public int code() {
            return code;
        }

        /** Parameter bytes (for a read: the bytes returned). */
        public byte[] params() {
            return params.clone();
        }

        /** Pixel bytes of a memory write, else 0. */
        public long dataBytes() {
            return dataBytes;
        }

        public boolean isRead() {
            return read;
        }

        public boolean isReset() {
            return code < 0;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Command)) {
                return false;
            }
            Command c = (Command) o;
            return code == c.code && dataBytes == c.dataBytes && read == c.read && Arrays.equals(params, c.params);
        }

        @Override
        public int hashCode() {
            return (code * 31 + Long.hashCode(dataBytes)) * 31 + Arrays.hashCode(params) + (read ? 1 : 0);
        }

        @Override
        public String toString() {
            if (code < 0) {
                return "RESET";
            }
            StringBuilder sb = new StringBuilder(read ? "read " : "").append(String.format("%02X", code));
            if (code == RAMWR || code == RAMWRC) {
                return sb.append(" [").append(dataBytes).append(" pixel bytes]").toString();
            }
            if (read) {
                sb.append(" ->");
            }
            for (byte b : params) {
                sb.append(String.format(" %02X", b & 0xFF));
            }
            return sb.toString();
        }
    }

    /**
     * A controller plus glass and board wiring: GRAM size, where the visible glass sits in GRAM,
     * how the module is mounted ({@link #mountMadctl}), colour-filter order, IPS inversion, the bus
     * wiring (option 1, the Waveshare 16-bit shift register), whether the controller insists on
     * 18-bit pixels, whether reads are wired, the COLMOD after reset, and the commands it knows.
     * Immutable; any thread. Presets for the supported controllers; {@link #builder} for others.
     */
    public static final class Model {
        final String name;
        final int gramWidth, gramHeight;
        final int glassX, glassY, glassWidth, glassHeight;
        final int mountMadctl;
        final boolean bgrPanel, invertedGlass, option1, shiftRegister16, needs18Bit, readable;
        final int defaultColmod;
        final BitSet known;
        final byte[] displayId;

        private Model(Builder b) {
            name = b.name;
            gramWidth = b.gramWidth;
            gramHeight = b.gramHeight;
            glassX = b.glassX;
            glassY = b.glassY;
            glassWidth = b.glassWidth;
            glassHeight = b.glassHeight;
            mountMadctl = b.mountMadctl & (MADCTL_MY | MADCTL_MX | MADCTL_MV);
            bgrPanel = b.bgrPanel;
            invertedGlass = b.invertedGlass;
            option1 = b.option1;
            shiftRegister16 = b.shiftRegister16;
            needs18Bit = b.needs18Bit;
            readable = b.readable;
            defaultColmod = b.defaultColmod;
            known = (BitSet) b.known.clone();
            displayId = b.displayId.clone();
        }

        public String name() { return name; }
        public int gramWidth() { return gramWidth; }
        public int gramHeight() { return gramHeight; }
        public int glassX() { return glassX; }
        public int glassY() { return glassY; }
        public int glassWidth() { return glassWidth; }
        public int glassHeight() { return glassHeight; }
        /** MADCTL orientation bits (MY|MX|MV) under which a logically written image is upright at rotation 0. */
        public int mountMadctl() { return mountMadctl; }
        /** The MADCTL BGR bit value that shows colours right (the glass's colour-filter order). */
        public boolean bgrPanel() { return bgrPanel; }
        /** IPS glass: colours are right with INVON, inverted with INVOFF. */
        public boolean invertedGlass() { return invertedGlass; }
        /** Wired for type C option 1 (9-bit words, no D/C line). */
        public boolean option1() { return option1; }
        /** Waveshare-style SPI-to-16-bit-parallel shift register in front of the controller. */
        public boolean shiftRegister16() { return shiftRegister16; }
        /** The controller takes only 18-bit pixels on this interface (ILI9488 on SPI). */
        public boolean needs18Bit() { return needs18Bit; }
        /** Reads are wired (MISO connected). */
        public boolean readable() { return readable; }
        public int defaultColmod() { return defaultColmod; }
        public boolean knows(int command) { return known.get(command & 0xFF); }

        /** Width of the upright picture at rotation 0. */
        public int viewWidth() {
            return (mountMadctl & MADCTL_MV) != 0 ? glassHeight : glassWidth;
        }

        /** Height of the upright picture at rotation 0. */
        public int viewHeight() {
            return (mountMadctl & MADCTL_MV) != 0 ? glassWidth : glassHeight;
        }

        /**
         * The MADCTL orientation bits (MY, MX, MV; no BGR) with which an image written in logical
         * order at {@code rotation} shows upright in {@code snapshot(rotation)}.
         */
        public int madctlFor(int rotation) {
            checkRotation(rotation);
            int vw = viewWidth(), vh = viewHeight();
            boolean turned = rotation == 90 || rotation == 270;
            int w = turned ? vh : vw, h = turned ? vw : vh;
            int[] want = new int[2], got = new int[2];
            int[][] probes = {{0, 0}, {w - 1, 0}, {0, h - 1}, {w - 1, h - 1}, {1, 0}, {0, 1}};
            for (int candidate = 0; candidate < 8; candidate++) {
                int m = (candidate & 1) * MADCTL_MV | (candidate >> 1 & 1) * MADCTL_MX | (candidate >> 2 & 1) * MADCTL_MY;
                boolean ok = true;
                for (int[] q : probes) {
                    int qx = Math.min(q[0], w - 1), qy = Math.min(q[1], h - 1);
                    int px, py;
                    switch (rotation) {
                        case 0: px = qx; py = qy; break;
                        case 90: px = qy; py = vh - 1 - qx; break;
                        case 180: px = vw - 1 - qx; py = vh - 1 - qy; break;
                        default: px = vw - 1 - qy; py = qx; break;
                    }
                    map(mountMadctl, px, py, glassWidth, glassHeight, want);
                    map(m, qx, qy, glassWidth, glassHeight, got);
                    if (want[0] != got[0] || want[1] != got[1]) {
                        ok = false;
                        break;
                    }
                }
                if (ok) {
                    return m;
                }
            }
            throw new IllegalStateException("no MADCTL for rotation " + rotation); // unreachable: D4 is closed
        }

        /**
         * The RAM offsets {x, y} a driver adds to its window (CASET/RASET) so that, with the
         * orientation bits {@code madctl}, logical 0,0 is the glass's first pixel.
         */
        public int[] ramOffset(int madctl) {
            boolean mv = (madctl & MADCTL_MV) != 0;
            int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE;
            // the glass corners, mapped back to logical coordinates (each mirror is its own inverse)
            int[][] corners = {{glassX, glassY}, {glassX + glassWidth - 1, glassY + glassHeight - 1}};
            for (int[] c : corners) {
                int col = c[0], row = c[1];
                if ((madctl & MADCTL_MX) != 0) {
                    col = gramWidth - 1 - col;
                }
                if ((madctl & MADCTL_MY) != 0) {
                    row = gramHeight - 1 - row;
                }
                int x = mv ? row : col, y = mv ? col : row;
                minX = Math.min(minX, x);
                minY = Math.min(minY, y);
            }
            return new int[] {minX, minY};
        }

        public Builder toBuilder() {
            return new Builder(this);
        }

        @Override
        public String toString() {
            return name + " (GRAM " + gramWidth + "x" + gramHeight + ", glass " + glassWidth + "x" + glassHeight
                    + "+" + glassX + "+" + glassY + ")";
        }

        public static Builder builder(String name, int gramWidth, int gramHeight) {
            return new Builder(name, gramWidth, gramHeight);
        }

        // ------------------------------------------------------------ presets

        /** Multi-Inno MI0283QT: ILI9341, 240x320 GRAM and glass, used as 320x240 (mount MV|MY|MX), BGR glass. */
        public static Model mi0283qt() {
            return builder("mi0283qt", 240, 320).mount(0xE0).bgrPanel(true).commands(ILI9341_CMDS)
                    .displayId(0x00, 0x93, 0x41).build();
        }

        /** ILI9341 as on the mi0283qt (the REFERENCE's init sequence). */
        public static Model ili9341() {
            return mi0283qt().toBuilder().name("ili9341").build();
        }

        /** Adafruit yx240qv29 (kernel ili9341.c): 240x320 portrait, mount MX, BGR glass. */
        public static Model yx240qv29() {
            return mi0283qt().toBuilder().name("yx240qv29").mount(MADCTL_MX).build();
        }

        /** ST7735R jd-t18003-t01 (Adafruit 1.8"): GRAM strapped to 128x160, mount MX|MY, RGB glass, write-only. */
        public static Model st7735r() {
            return builder("st7735r", 128, 160).mount(0xC0).bgrPanel(false).readable(false)
                    .defaultColmod(0x66).commands(ST7735R_CMDS).displayId(0x7C, 0x89, 0xF0).build();
        }

        /** ST7735R with the full 132x162 GRAM and a 128x160 glass at 2,1 (the common "green tab" boards). */
        public static Model st7735rOffset() {
            return st7735r().toBuilder().name("st7735r-132x162").gram(132, 162).glass(2, 1, 128, 160).build();
        }

        /** Okaya rh128128t on ST7735R: 132x162 GRAM, 128x128 glass at 2,31 (kernel offsets 2,3 at rotation 0), BGR bit set. */
        public static Model rh128128t() {
            return st7735r().toBuilder().name("rh128128t").gram(132, 162).glass(2, 31, 128, 128).bgrPanel(true)
                    .readable(true).build();
        }

        /** ST7789V 240x320 IPS: needs INVON, RGB glass, mount 0. */
        public static Model st7789v() {
            return builder("st7789v", 240, 320).mount(0).bgrPanel(false).invertedGlass(true)
                    .commands(ST7789V_CMDS).displayId(0x85, 0x85, 0x52).build();
        }

        /** ST7789V with a 240x240 IPS glass at the top of the 240x320 GRAM (y offset 80 when turned 180°). */
        public static Model st7789v240x240() {
            return st7789v().toBuilder().name("st7789v-240x240").glass(0, 0, 240, 240).build();
        }

        /** ILI9486 (plain SPI wiring): 320x480, mount MV|MY|MX (kernel's 480x320), BGR glass. */
        public static Model ili9486() {
            return builder("ili9486", 320, 480).mount(0xE0).bgrPanel(true).commands(ILI9486_CMDS)
                    .displayId(0x00, 0x94, 0x86).build();
        }

        /** ILI9486 on a Waveshare rpi-lcd-35 / PiScreen: the 16-bit shift register, reads not wired. */
        public static Model ili9486Waveshare() {
            return ili9486().toBuilder().name("ili9486-waveshare").shiftRegister16(true).readable(false).build();
        }

        /** HX8357D (Adafruit yx350hv15): 320x480, mount MX|MY, RGB as the kernel sets it (SETPANEL). */
        public static Model hx8357d() {
            return builder("hx8357d", 320, 480).mount(0xC0).bgrPanel(false).commands(HX8357D_CMDS)
                    .displayId(0x00, 0x83, 0x57).build();
        }

        /** ILI9488 on SPI: 320x480, 18-bit pixels only, mount MX, BGR glass. */
        public static Model ili9488() {
            return builder("ili9488", 320, 480).mount(MADCTL_MX).bgrPanel(true).needs18Bit(true)
                    .commands(ILI9488_CMDS).displayId(0x00, 0x94, 0x88).build();
        }

        /** Any MIPI DBI controller of this GRAM size; knows every DCS command and opaque vendor commands 0xB0..0xFF. */
        public static Model generic(int gramWidth, int gramHeight) {
            Builder b = builder("generic", gramWidth, gramHeight);
            for (int c = 0xB0; c <= 0xFF; c++) {
                b.known.set(c);
            }
            return b.build();
        }

        /** Standard DCS commands every preset knows. */
        static final int[] DCS = {0x00, 0x01, 0x04, 0x05, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11,
            0x12, 0x13, 0x20, 0x21, 0x26, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2E, 0x30, 0x33, 0x34, 0x35, 0x36, 0x37,
            0x38, 0x39, 0x3A, 0x3C, 0x3E, 0x44, 0x45, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x5E, 0x5F, 0xDA, 0xDB,
            0xDC};
        static final int[] ILI9341_CMDS = {0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xBA, 0xC0, 0xC1,
            0xC5, 0xC7, 0xCB, 0xCF, 0xD0, 0xD2, 0xD3, 0xD9, 0xE0, 0xE1, 0xE2, 0xE3, 0xE8, 0xE9, 0xEA, 0xED, 0xEF,
            0xF2, 0xF6, 0xF7};
        static final int[] ST7735R_CMDS = {0xB1, 0xB2, 0xB3, 0xB4, 0xB6, 0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC7,
            0xD1, 0xD9, 0xDE, 0xDF, 0xE0, 0xE1, 0xF0, 0xF6, 0xFC};
        static final int[] ST7789V_CMDS = {0xB0, 0xB1, 0xB2, 0xB3, 0xB5, 0xB7, 0xB8, 0xBA, 0xBB, 0xC0, 0xC2, 0xC3,
            0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xCA, 0xCC, 0xD0, 0xD2, 0xD6, 0xDF, 0xE0, 0xE1, 0xE2, 0xE3, 0xE4, 0xE7,
            0xE8, 0xE9, 0xEC, 0xFA, 0xFC};
        static final int[] ILI9486_CMDS = {0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xC0, 0xC1, 0xC2, 0xC3,
            0xC4, 0xC5, 0xE0, 0xE1, 0xE2, 0xF2, 0xF7, 0xF8, 0xF9};
        static final int[] HX8357D_CMDS = {0xB0, 0xB1, 0xB3, 0xB4, 0xB5, 0xB6, 0xB9, 0xC0, 0xC1, 0xC2, 0xC5, 0xCC,
            0xE0, 0xE9};
        static final int[] ILI9488_CMDS = {0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB9, 0xBE, 0xC0, 0xC1,
            0xC2, 0xC3, 0xC4, 0xC5, 0xE0, 0xE1, 0xE9, 0xF7, 0xFB};

        /** Builds a {@link Model}; the glass defaults to the whole GRAM, COLMOD to 0x66, reads wired. */
        public static final class Builder {
            private String name;
            private int gramWidth, gramHeight;
            private int glassX, glassY, glassWidth, glassHeight;
            private boolean glassSet;
            private int mountMadctl;
            private boolean bgrPanel, invertedGlass, option1, shiftRegister16, needs18Bit;
            private boolean readable = true;
            private int defaultColmod = 0x66;
            private final BitSet known = new BitSet(256);
            private byte[] displayId = new byte[3];

            private Builder(String name, int gramWidth, int gramHeight) {
                this.name = Objects.requireNonNull(name, "name");
                gram(gramWidth, gramHeight);
                for (int c : DCS) {
                    known.set(c);
                }
            }

            private Builder(Model m) {
                name = m.name;
                gramWidth = m.gramWidth;
                gramHeight = m.gramHeight;
                glassX = m.glassX;
                glassY = m.glassY;
                glassWidth = m.glassWidth;
                glassHeight = m.glassHeight;
                glassSet = true;
                mountMadctl = m.mountMadctl;
                bgrPanel = m.bgrPanel;
                invertedGlass = m.invertedGlass;
                option1 = m.option1;
                shiftRegister16 = m.shiftRegister16;
                needs18Bit = m.needs18Bit;
                readable = m.readable;
                defaultColmod = m.defaultColmod;
                known.or(m.known);
                displayId = m.displayId.clone();
            }

            public Builder name(String n) {
                name = Objects.requireNonNull(n, "name");
                return this;
            }

            public Builder gram(int w, int h) {
                if (w <= 0 || h <= 0 || w > 0xFFFF || h > 0xFFFF) {
                    throw new IllegalArgumentException("GRAM size " + w + "x" + h + " out of range");
                }
                gramWidth = w;
                gramHeight = h;
                if (!glassSet) {
                    glassWidth = w;
                    glassHeight = h;
                }
                return this;
            }

            /** The visible glass: {@code w x h} at native GRAM column {@code x}, row {@code y}. */
            public Builder glass(int x, int y, int w, int h) {
                glassX = x;
                glassY = y;
                glassWidth = w;
                glassHeight = h;
                glassSet = true;
                return this;
            }

            public Builder mount(int madctlBits) {
                mountMadctl = madctlBits;
                return this;
            }

            public Builder bgrPanel(boolean v) {
                bgrPanel = v;
                return this;
            }

            public Builder invertedGlass(boolean v) {
                invertedGlass = v;
                return this;
            }

            public Builder option1(boolean v) {
                option1 = v;
                return this;
            }

            public Builder shiftRegister16(boolean v) {
                shiftRegister16 = v;
                return this;
            }

            public Builder needs18Bit(boolean v) {
                needs18Bit = v;
                return this;
            }

            public Builder readable(boolean v) {
                readable = v;
                return this;
            }

            public Builder defaultColmod(int v) {
                defaultColmod = v & 0xFF;
                return this;
            }

            /** Adds vendor (or other) commands the controller accepts as opaque. */
            public Builder commands(int... codes) {
                for (int c : codes) {
                    known.set(c & 0xFF);
                }
                return this;
            }

            public Builder displayId(int a, int b, int c) {
                displayId = new byte[] {(byte) a, (byte) b, (byte) c};
                return this;
            }

            public Model build() {
                if (glassX < 0 || glassY < 0 || glassWidth <= 0 || glassHeight <= 0
                        || glassX + glassWidth > gramWidth || glassY + glassHeight > gramHeight) {
                    throw new IllegalArgumentException(name + ": glass " + glassWidth + "x" + glassHeight + "+"
                            + glassX + "+" + glassY + " does not fit the " + gramWidth + "x" + gramHeight + " GRAM");
                }
                int d = defaultColmod & 0x07;
                if (d != 5 && d != 6) {
                    throw new IllegalArgumentException(name + ": default COLMOD must be 16 or 18 bit");
                }
                return new Model(this);
            }
        }
    }
}
