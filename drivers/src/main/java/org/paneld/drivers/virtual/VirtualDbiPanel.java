package org.paneld.drivers.virtual;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.RgbImage;

/**
 * An emulated MIPI DBI panel, its public face: the wires a host drives, what it shows, what it
 * recorded, and the description of the part ({@link DbiModel}). The physical panel behind a virtual
 * SPI bus, written from the MIPI DCS specification and the controllers' datasheets; it shares no
 * code or constants with the drivers it judges. It is driven by exactly what the real wire
 * carries — bytes with the D/C level ({@link #write}, type C option 3), 9-bit words packed into
 * bytes ({@link #writeOption1}, option 1 on an 8-bit SPI) or native ({@link #writeWords9}), each
 * transfer optionally with the SPI clock it went at, register reads ({@link #read}), the reset
 * line ({@link #setReset}) and the backlight ({@link #setBacklight}). It is the physical device:
 * it outlives driver bindings (a rebind finds the GRAM as the last binding left it). Threads:
 * any; every method is synchronized.
 *
 * <p>The work is split along the part's seams: {@link DbiWireDecoder} turns the wire into command
 * and data bytes, {@link DbiController} interprets them (registers, reads, checks, the log),
 * {@link DbiGram} holds the GRAM with its window and address counter, {@link DbiTiming} the
 * delays and clock limits, {@link DbiScan} the display scan and TE, {@link DbiGlass} renders the
 * glass, {@link DbiRecorder} keeps the violations and the command log bounded;
 * {@link DbiOrientation} turns the mount and rotations into MADCTL bits and RAM offsets, and
 * {@link DbiPresets} is the catalogue of parts behind {@link DbiModel}'s presets.
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
 * The glass shows the GRAM rectangle {@link DbiModel#glassX}, {@link DbiModel#glassY},
 * {@link DbiModel#glassWidth} x {@link DbiModel#glassHeight}, always scanned in native order
 * ({@link #glassImage()}). How the module is mounted is given by {@link DbiModel#mountMadctl}: the
 * MADCTL orientation bits with which a host image written in logical order appears upright at
 * rotation 0 (for example 0xE0 on the mi0283qt, whose 320x240 landscape is the controller's
 * 240x320 portrait turned). {@link #snapshot(int)} returns the picture as a person sees it when
 * the panel is used at {@code rotation} degrees: the rotation-0 view with its content turned
 * {@code rotation} degrees <em>counter-clockwise</em> (DRM's convention; the person turns the
 * panel clockwise to read it). So a driver that rotates with MADCTL and writes the client image in
 * rotated coordinates passes when {@code snapshot(rotation)} equals the client image (after the
 * panel's colour quantisation). {@link DbiModel#madctlFor(int)} gives the orientation bits that satisfy
 * this for a rotation, {@link DbiModel#ramOffset(int)} the RAM offsets that go with them. The
 * kernel's mi0283qt, ili9486 and st7735r tables follow this convention; its ili9341
 * (yx240qv29) and hx8357d tables turn the other way (their "90" shows upright in
 * {@code snapshot(270)}).
 *
 * <p>Colours: GRAM keeps each pixel as the 8-bit-per-channel value of what was written at the
 * depth it was written: a 16-bit RGB565 word {@code rrrrrggggggbbbbb} shows as
 * {@code r<<3|r>>2, g<<2|g>>4, b<<3|b>>2} (bit replication), an 18-bit pixel's bytes keep their
 * top six bits {@code v&0xFC|v>>6}. The glass swaps red and blue when the MADCTL BGR bit differs
 * from the glass's colour-filter order ({@link DbiModel#bgrPanel}), inverts when INVON differs from
 * {@link DbiModel#invertedGlass} (IPS glass needs INVON), and is black while the reset line is held,
 * asleep, with the display off, or with the backlight at 0. Backlight levels above 0 do not dim
 * the snapshot.
 *
 * <h2>Protocol checking</h2>
 * Violations are collected as text with the wire position ({@link #violations()},
 * {@link #assertNoViolations()}; the first 200, then a count): pixel data with no RAMWR/RAMWRC
 * in progress, pixel data while asleep, more pixels than the window holds (the counter wraps and
 * overwrites), an unknown command and parameters sent to it, wrong parameter counts for
 * CASET/RASET/MADCTL/COLMOD, a window outside GRAM or with start after end, a memory write ending
 * in the middle of a pixel, anything written while reset is held, a non-zero high byte through
 * the 16-bit shift register, an unusable COLMOD, and the timing rules — 5 ms after reset release,
 * SWRESET, SLPOUT and SLPIN before the next command, 120 ms between SLPOUT and SLPIN either way,
 * 120 ms after reset (or a SWRESET sent while awake) before SLPOUT. Time is the wall clock plus
 * whatever a virtual bus declared with {@link #elapse} for a sleep it skipped, so tests stay fast
 * and a driver that did not wait at all is caught. With {@link #setClockChecks} on, commands and
 * parameters clocked faster than the part's serial write cycle ({@link DbiModel#writeCycleNs}) and
 * reads faster than its read cycle ({@link DbiModel#readCycleNs}) are violations too (pixel data may
 * go faster, as it does on every Raspberry Pi setup); on by default.
 *
 * <h2>Display scan, TE and torn frames</h2>
 * The controller refreshes the glass from GRAM line by line ({@code DbiScan}): a vertical
 * blanking of {@link DbiModel#vblankLines()} line times, then every gate line, top to bottom or, with
 * MADCTL's ML bit, bottom to top; the period comes from the frame-rate register where the part has
 * one (ILI9341 FRMCTR1 B1h: 70.3 Hz after reset; ST7789V FRCTRL2 C6h: 60 Hz) or from the model.
 * TEON (35h, one parameter, M bit 0) drives the TE output high in the blanking (M = 1 adds a short
 * pulse at the end of each line); TEOFF, reset, SWRESET and sleep keep it low; a board may leave
 * it unwired ({@link #setTeWired}). With {@link #setWireTiming} on, the panel's clock is logical
 * and moved only by the wire (each transfer at its SPI clock) and declared waits, and every memory
 * write that changes the glass is judged against the scan: a refresh that shows some of its
 * changed lines new and some old, or a line caught mid-write, is a {@link TornFrame}
 * ({@link #tornFrames()}, {@link #tornFrameCount()}). FRMCTR1 with fewer than 16 clocks per line
 * and TEON without its parameter are violations.
 *
 * <p>{@link #commandLog()} records the commands with their parameters (memory writes summarised
 * as a byte count), the hardware reset pulses, and reads — the last
 * {@link #commandLogCapacity()} of them (512 unless changed), so a panel that runs for weeks
 * holds a fixed amount; {@link #commandsDropped()} counts what fell out.
 */
public final class VirtualDbiPanel implements VirtualHardware {

    private final DbiModel model;
    private final DbiRecorder rec = new DbiRecorder();
    private final DbiGram gram;
    private final DbiTiming timing;
    private final DbiController ctl;
    private final DbiWireDecoder wire;
    private final DbiGlass glass;
    private final DbiScan scan;

    private int backlight = 100;
    private volatile int wireHz;
    private int viewRotation;
    private final VirtualSpiBus spiBus;
    private volatile VirtualTouchChip touch;

    /** A powered panel just after power-on reset: asleep, display off, GRAM black. */
    public VirtualDbiPanel(DbiModel model) {
        this.model = Objects.requireNonNull(model, "model");
        this.gram = new DbiGram(model.gramWidth, model.gramHeight, rec);
        this.timing = new DbiTiming(model, rec);
        this.scan = new DbiScan(model);
        this.ctl = new DbiController(model, rec, timing, gram, scan);
        this.wire = new DbiWireDecoder(model, ctl, rec);
        this.glass = new DbiGlass(model);
        this.spiBus = new VirtualSpiBus("virtual " + model.name() + " spi bus");
    }

    /** The SPI bus the panel's controller sits on (a touch controller on another chip select shares it). */
    public VirtualSpiBus spiBus() {
        return spiBus;
    }

    /** The touch controller on the panel, if the board has one. */
    public java.util.Optional<VirtualTouchChip> touch() {
        return java.util.Optional.ofNullable(touch);
    }

    /** Mounts a touch controller on the panel (its SPI chips share {@link #spiBus()}); at creation. */
    public void attachTouch(VirtualTouchChip chip) {
        this.touch = chip;
    }

    public DbiModel model() {
        return model;
    }

    // ================================================================= wire side

    /**
     * Option 3: {@code len} bytes of one SPI transfer with the D/C line at {@code dcHigh}
     * (low: command byte(s); high: parameters or pixel data), clock unknown. Through the 16-bit
     * shift register ({@link DbiModel#shiftRegister16}) the bytes pair up into big-endian 16-bit words.
     */
    public synchronized void write(boolean dcHigh, byte[] bytes, int off, int len) {
        wire.write(dcHigh, bytes, off, len, 0);
    }

    /** {@link #write(boolean, byte[], int, int)} for a transfer clocked at {@code clockHz} (0: unknown). */
    public synchronized void write(boolean dcHigh, byte[] bytes, int off, int len, int clockHz) {
        wire.write(dcHigh, bytes, off, len, clockHz);
    }

    /**
     * Option 1 on an 8-bit-only SPI: 9-bit words (bit 8 = D/C) packed MSB-first, eight words per
     * nine bytes, as the kernel's mipi_dbi_spi1e_transfer sends them (commands with seven NOP words
     * in front, data tails padded with NOP words). A transfer must hold whole words. Clock unknown.
     */
    public synchronized void writeOption1(byte[] packed, int off, int len) {
        wire.writeOption1(packed, off, len, 0);
    }

    /** {@link #writeOption1(byte[], int, int)} for a transfer clocked at {@code clockHz} (0: unknown). */
    public synchronized void writeOption1(byte[] packed, int off, int len, int clockHz) {
        wire.writeOption1(packed, off, len, clockHz);
    }

    /**
     * Option 1 on a controller that does 9-bit SPI words natively (the kernel's
     * mipi_dbi_spi1_transfer with bits_per_word 9): each element is one word, bit 8 = D/C.
     */
    public synchronized void writeWords9(short[] words, int off, int len) {
        wire.writeWords9(words, off, len, 0);
    }

    /**
     * The reset line (true = asserted, i.e. RESX low). Releasing it after an assertion resets the
     * controller: asleep, display off, inversion off, MADCTL 0, COLMOD default, full window. GRAM
     * keeps its contents (the glass is dark until the driver wakes it anyway).
     */
    public synchronized void setReset(boolean asserted) {
        ctl.setReset(asserted);
    }

    /** Backlight level 0..100; 0 is off. A board with no backlight line keeps the default 100. */
    public synchronized void setBacklight(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("backlight must be 0..100, got " + percent);
        }
        backlight = percent;
    }

    /**
     * A register read, clock unknown: the command goes out (ending any memory write), then
     * {@code length} bytes come back. 0x0A power mode (bit 7 booster, bit 4 sleep out, bit 3
     * normal mode, bit 2 display on), 0x0B MADCTL, 0x0C COLMOD, 0x09 status (4 bytes), 0x04 display
     * id (3 bytes); other reads return zeros and are a violation. A write-only board (no MISO,
     * {@link DbiModel#readable} false) returns zeros.
     */
    public synchronized byte[] read(int command, int length) {
        return read(command, length, 0);
    }

    /** {@link #read(int, int)} for a transfer clocked at {@code clockHz} (0: unknown). */
    public synchronized byte[] read(int command, int length, int clockHz) {
        if (length < 0) {
            throw new IllegalArgumentException("negative read length " + length);
        }
        return ctl.read(command, length, clockHz);
    }

    /**
     * Declares that {@code nanos} of time passed that the caller did not spend really waiting
     * (a virtual bus skipping a driver's sleep). Counts for the timing rules.
     */
    public synchronized void elapse(long nanos) {
        timing.elapse(nanos);
    }

    /** Switches the timing rules (5 ms / 120 ms) on or off; on by default. */
    public synchronized void setTimingChecks(boolean on) {
        timing.setTimingChecks(on);
    }

    /**
     * Switches the SPI clock rules on or off: commands and parameters within the model's write
     * cycle, reads within its read cycle (transfers whose clock is unknown are not checked). On by
     * default: the drivers send commands and parameters at min(10 MHz, spi_speed_hz) and reads at
     * min(2 MHz, …), as the kernel does, so every driver test is judged.
     */
    public synchronized void setClockChecks(boolean on) {
        timing.setClockChecks(on);
    }

    // ================================================================= scan and TE

    /**
     * Times the wire (off by default): the panel's clock becomes logical, moved only by the wire
     * (each transfer takes its bytes at its SPI clock; a transfer of unknown clock takes no time)
     * and by declared waits ({@link #elapse}); and torn frames are detected against the display
     * scan ({@link #tornFrames()}). Set it before binding a driver, so its waits are declared.
     */
    public synchronized void setWireTiming(boolean on) {
        timing.setWireTiming(on);
        gram.track(on ? scan : null, model.glassX, model.glassY, model.glassWidth, model.glassHeight);
    }

    public synchronized boolean isWireTimed() {
        return timing.wireTimed();
    }

    /** The panel's clock in ns: logical with a timed wire, else the wall clock plus declared waits. */
    public synchronized long nanoTime() {
        return timing.now();
    }

    /** The refresh period now, in ns (from the frame-rate register or the model's refresh rate). */
    public synchronized long refreshPeriodNanos() {
        return scan.periodNanos();
    }

    /** Whether the board brings the TE pad out to the host (default true); unwired, the line stays low. */
    public synchronized void setTeWired(boolean wired) {
        scan.connect(wired);
    }

    /** Whether TEON is in effect (TE drives the line). */
    public synchronized boolean isTeOn() {
        return scan.teEnabled();
    }

    /** The TE output's level now: high in vertical blanking once TEON is sent and the controller is awake. */
    public synchronized boolean teLevel() {
        return scan.teLevel(timing.now(), awake());
    }

    /**
     * The first TE edge ({@code rising}, else falling) later than {@code after} on the panel's clock,
     * or {@link Long#MIN_VALUE} while the line does not move (TE off or not wired, asleep, reset held).
     */
    public synchronized long nextTeEdge(boolean rising, long after) {
        return scan.nextEdge(rising, after, awake());
    }

    private boolean awake() {
        return !ctl.sleeping() && !ctl.resetHeld();
    }

    /**
     * The last 64 torn frames (a refresh that showed part old, part new content of one memory
     * write), oldest first. A memory write still in progress is judged now (what arrives after
     * counts as a new write). Only detected with a timed wire.
     */
    public synchronized List<TornFrame> tornFrames() {
        scan.settle(ctl.displayOn() && !ctl.sleeping());
        return scan.tornFrames();
    }

    /** Torn frames since the panel was made or {@link #clearTornFrames()}; judges a write in progress. */
    public synchronized long tornFrameCount() {
        scan.settle(ctl.displayOn() && !ctl.sleeping());
        return scan.tornCount();
    }

    /** Memory writes that changed the glass and were judged for tearing. */
    public synchronized long writesJudged() {
        scan.settle(ctl.displayOn() && !ctl.sleeping());
        return scan.writes();
    }

    public synchronized void clearTornFrames() {
        scan.clearTorn();
    }

    // ================================================================= observing

    /** Protocol violations so far, each "byte N: what" (the first 200, then a count). */
    public synchronized List<String> violations() {
        return rec.violations();
    }

    /** Throws AssertionError listing the (first 20) violations, if there are any. */
    public synchronized void assertNoViolations() {
        long n = rec.violationCount();
        if (n > 0) {
            List<String> first = rec.firstViolations(20);
            throw new AssertionError(model.name + ": " + n + " protocol violation(s):\n  "
                    + String.join("\n  ", first) + (n > first.size()
                    ? "\n  ... and " + (n - first.size()) + " more" : ""));
        }
    }

    /** Forgets the violations recorded so far (e.g. after a test provoked some on purpose). */
    public synchronized void clearViolations() {
        rec.clearViolations();
    }

    /**
     * The last {@link #commandLogCapacity()} commands, in wire order (the current one with the
     * parameters received so far); {@link #commandsDropped()} says how many older ones fell out.
     */
    public synchronized List<DbiCommand> commandLog() {
        List<DbiCommand> out = rec.log();
        DbiCommand now = ctl.inProgress();
        if (now != null) {
            out.add(now);
        }
        return Collections.unmodifiableList(out);
    }

    /** Forgets the command log, including the command in progress, and the dropped count. */
    public synchronized void clearCommandLog() {
        rec.clearLog();
        ctl.forgetInProgress();
    }

    /** Commands that fell out of the command log since it was last cleared. */
    public synchronized long commandsDropped() {
        return rec.dropped();
    }

    /** How many commands the log keeps. */
    public synchronized int commandLogCapacity() {
        return rec.logCapacity();
    }

    /**
     * Sets how many commands the log keeps (at least 1; the newest are kept). The log also holds
     * at most 64 KiB of parameter bytes in all, whatever the capacity.
     */
    public synchronized void setCommandLogCapacity(int commands) {
        rec.setLogCapacity(commands);
    }

    /**
     * Makes the wire take real time: each transfer of n bytes keeps the writer {@code n * 8 /
     * hz} seconds ({@link VirtualDbiWiring} waits), so a virtual panel is as fast as a real one at
     * that SPI clock; 0 (the default): as fast as the emulator decodes.
     */
    public void setWireHz(int hz) {
        if (hz < 0) {
            throw new IllegalArgumentException("negative wire clock " + hz);
        }
        wireHz = hz;
    }

    /** The simulated wire clock, 0 when the wire takes no time. */
    public int wireHz() {
        return wireHz;
    }

    /** Bytes received on the wire (commands, parameters, pixels, packed option-1 bytes). */
    public synchronized long bytesReceived() {
        return ctl.bytesReceived();
    }

    /** Memory-write bursts (RAMWR or RAMWRC) that stored at least one pixel. */
    public synchronized int framesWritten() {
        return gram.framesWritten();
    }

    public synchronized boolean isSleeping() {
        return ctl.sleeping();
    }

    public synchronized boolean isDisplayOn() {
        return ctl.displayOn();
    }

    public synchronized boolean isInverted() {
        return ctl.inverted();
    }

    public synchronized boolean isResetHeld() {
        return ctl.resetHeld();
    }

    public synchronized int madctl() {
        return ctl.madctl();
    }

    public synchronized int colmod() {
        return ctl.colmod();
    }

    public synchronized int backlight() {
        return backlight;
    }

    /** The window as {xs, xe, ys, ye} (logical, inclusive). */
    public synchronized int[] window() {
        return gram.window();
    }

    /** The rotation {@link #snapshot()} uses (the configured rotation of a virtual backend). */
    public synchronized void setViewRotation(int rotation) {
        DbiGlass.checkRotation(rotation);
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
        return glass.snapshot(rotation, gram.ram(), ctl.madctl(), ctl.inverted(), lit());
    }

    /** The glass in native scan order, as shown (colour rules applied; black when dark). */
    public synchronized RgbImage glassImage() {
        return glass.glassImage(gram.ram(), ctl.madctl(), ctl.inverted(), lit());
    }

    /** Raw GRAM ({@code gramWidth x gramHeight}, native order) as written, no display rules applied. */
    public synchronized RgbImage gram() {
        return new RgbImage(model.gramWidth, model.gramHeight, gram.ram().clone());
    }

    @Override
    public synchronized String describe() {
        String state = ctl.resetHeld() ? "in reset" : ctl.sleeping() ? "asleep"
                : ctl.displayOn() ? "on" : "display off";
        long n = rec.violationCount();
        return model.name + " " + model.viewWidth() + "x" + model.viewHeight() + ", " + state
                + ", backlight " + backlight + "%, " + gram.framesWritten() + " writes, " + ctl.bytesReceived() + " wire bytes"
                + (n > 0 ? ", " + n + " violations" : "");
    }

    private boolean lit() {
        return !ctl.resetHeld() && !ctl.sleeping() && ctl.displayOn() && backlight > 0;
    }
}
