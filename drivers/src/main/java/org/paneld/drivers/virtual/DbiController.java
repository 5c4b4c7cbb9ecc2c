package org.paneld.drivers.virtual;

import static org.paneld.drivers.virtual.Dcs.CASET;
import static org.paneld.drivers.virtual.Dcs.COLMOD;
import static org.paneld.drivers.virtual.Dcs.DISPOFF;
import static org.paneld.drivers.virtual.Dcs.DISPON;
import static org.paneld.drivers.virtual.Dcs.INVOFF;
import static org.paneld.drivers.virtual.Dcs.INVON;
import static org.paneld.drivers.virtual.Dcs.MADCTL;
import static org.paneld.drivers.virtual.Dcs.RAMWR;
import static org.paneld.drivers.virtual.Dcs.RAMWRC;
import static org.paneld.drivers.virtual.Dcs.RASET;
import static org.paneld.drivers.virtual.Dcs.RDDCOLMOD;
import static org.paneld.drivers.virtual.Dcs.RDDID;
import static org.paneld.drivers.virtual.Dcs.RDDMADCTL;
import static org.paneld.drivers.virtual.Dcs.RDDPM;
import static org.paneld.drivers.virtual.Dcs.RDDST;
import static org.paneld.drivers.virtual.Dcs.SLPIN;
import static org.paneld.drivers.virtual.Dcs.SLPOUT;
import static org.paneld.drivers.virtual.Dcs.SWRESET;
import static org.paneld.drivers.virtual.Dcs.TEOFF;
import static org.paneld.drivers.virtual.Dcs.TEON;

import java.util.Arrays;


/**
 * The controller's command interpreter: decoded command bytes and data bytes in; registers
 * (sleep, display on/off, inversion, MADCTL, COLMOD, the window) set as their parameters
 * complete; pixel data handed to {@link DbiGram}; register reads (power mode and friends)
 * answered; each command checked (known command, parameter count, timing, clock) and logged.
 * Lifetime: its panel. Threads: the panel's lock.
 */
final class DbiController {
    private static final int MAX_PARAMS = 4096;

    private final DbiModel model;
    private final DbiRecorder rec;
    private final DbiTiming timing;
    private final DbiGram gram;
    private final DbiScan scan;

    // the reset line and the wire position
    private boolean resetHeld;
    private long bytesReceived;
    private int clockHz;                  // SPI clock of the transfer being decoded, 0 unknown

    // registers
    private boolean sleeping;
    private boolean displayOn;
    private boolean inverted;
    private int madctl;
    private int colmod;

    // the command in progress
    private int cmd = -1;                 // command whose parameters/data are arriving, -1 none
    private byte[] params = new byte[16];
    private int paramCount;
    private long dataBytes;
    private boolean memoryWrite;          // cmd is RAMWR/RAMWRC and pixels are being taken
    private boolean strayDataReported;
    private boolean clockReported;        // this command's parameters were flagged as too fast
    private boolean currentUnlogged;      // the command in progress was cleared from the log

    DbiController(DbiModel model, DbiRecorder rec, DbiTiming timing, DbiGram gram, DbiScan scan) {
        this.model = model;
        this.rec = rec;
        this.timing = timing;
        this.gram = gram;
        this.scan = scan;
        resetRegisters();
    }

    // ------------------------------------------------------------------ wire position and lines

    /**
     * A transfer of {@code len} bytes clocked at {@code hz} (0: unknown) begins; returns its first
     * byte's wire position, or -1 when reset is held (the transfer is flagged and ignored).
     */
    long transfer(long len, int hz, String what) {
        long start = bytesReceived;
        bytesReceived += len;
        clockHz = hz;
        if (timing.wireTimed()) {
            gram.transferAt(timing.now(), start, hz > 0 ? 8e9 / hz : 0);
            timing.advance(len, hz);
        }
        if (resetHeld) {
            rec.violation(start, what + " while reset is held");
            return -1;
        }
        return start;
    }

    long bytesReceived() {
        return bytesReceived;
    }

    boolean resetHeld() {
        return resetHeld;
    }

    /** The reset line; releasing it resets the registers (GRAM keeps its contents). */
    void setReset(boolean asserted) {
        if (asserted == resetHeld) {
            return;
        }
        endCommand();
        resetHeld = asserted;
        if (!asserted) {
            resetRegisters();
            timing.resetReleased();
            rec.log(DbiCommand.reset());
        }
    }

    // ------------------------------------------------------------------ registers

    boolean sleeping() {
        return sleeping;
    }

    boolean displayOn() {
        return displayOn;
    }

    boolean inverted() {
        return inverted;
    }

    int madctl() {
        return madctl;
    }

    int colmod() {
        return colmod;
    }

    /** Whether a memory write is taking pixels (the 16-bit shift register passes them whole). */
    boolean inMemoryWrite() {
        return memoryWrite;
    }

    int bitsPerPixel() {
        return model.needs18Bit || (colmod & 0x07) == 6 ? 18 : 16;
    }

    // ------------------------------------------------------------------ commands and data

    /** A command byte (D/C low). */
    void command(int c, long pos) {
        endCommand();
        timing.command(c, pos);
        timing.writeClock(clockHz, String.format("command 0x%02X", c), pos);
        if (!model.known.get(c)) {
            rec.violation(pos, String.format("unknown command 0x%02X for %s", c, model.name));
        }
        cmd = c;
        paramCount = 0;
        dataBytes = 0;
        strayDataReported = false;
        clockReported = false;
        switch (c) {
            case SWRESET:
                timing.swreset(!sleeping);
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
            case TEOFF:
                scan.teOff();
                break;
            case RAMWR:
            case RAMWRC:
                memoryWrite = true;
                gram.startWrite(c == RAMWR, madctl, pos);
                break;
            default:
                break;
        }
    }

    /** Data bytes (D/C high): parameters of the command in progress, or pixels of a memory write. */
    void data(byte[] b, int off, int len, long pos) {
        if (cmd < 0) {
            if (!strayDataReported) {
                rec.violation(pos, len + " data byte(s) with no command in progress");
                strayDataReported = true;
            }
            return;
        }
        if (memoryWrite) {
            dataBytes += len;
            if (sleeping && !strayDataReported) {
                rec.violation(pos, "pixel data while the controller is asleep (no SLPOUT since reset/SLPIN)");
                strayDataReported = true;
            }
            gram.pixels(b, off, len, bitsPerPixel(), madctl, pos);
            return;
        }
        if (Dcs.takesNoParameters(cmd)) {
            if (!strayDataReported) {
                rec.violation(pos, String.format("pixel or parameter data after command 0x%02X, which takes none "
                        + "(no RAMWR in progress)", cmd));
                strayDataReported = true;
            }
            return;
        }
        if (!model.known.get(cmd) && !strayDataReported) {
            rec.violation(pos, String.format("parameter byte(s) after unknown command 0x%02X (the controller "
                    + "ignores them)", cmd));
            strayDataReported = true;
        }
        if (!clockReported) {
            clockReported = timing.writeClock(clockHz, String.format("parameters of command 0x%02X", cmd), pos);
        }
        for (int i = 0; i < len; i++) {
            if (paramCount < MAX_PARAMS) { // keep the first 4096; count the rest
                if (paramCount == params.length) {
                    params = Arrays.copyOf(params, params.length * 2);
                }
                params[paramCount] = b[off + i];
            } else if (!strayDataReported) {
                rec.violation(pos + i, String.format("more than %d parameter bytes after command 0x%02X "
                        + "(pixel data without RAMWR?)", MAX_PARAMS, cmd));
                strayDataReported = true;
            }
            paramCount++;
            if (paramCount <= 4) {
                applyEarly();
            }
        }
    }

    /** A 16-bit pixel that arrived as one bus word (the 16-bit shift register). */
    void pixelWord(int word, long pos) {
        dataBytes += 2;
        if (sleeping && !strayDataReported) {
            rec.violation(pos, "pixel data while the controller is asleep (no SLPOUT since reset/SLPIN)");
            strayDataReported = true;
        }
        gram.pixel565(word, madctl, pos);
    }

    /** Registers take effect as soon as their parameters are complete. */
    private void applyEarly() {
        switch (cmd) {
            case MADCTL:
                if (paramCount == 1) {
                    madctl = params[0] & 0xFF;
                    scan.madctl(madctl);
                }
                break;
            case TEON:
                if (paramCount == 1) {
                    scan.teOn(params[0] & 0xFF);
                }
                break;
            case 0xB1:
            case 0xC6:
                if (paramCount == (cmd == 0xB1 ? 2 : 1)) {
                    String bad = scan.frameRate(cmd, params, paramCount, timing.now());
                    if (bad != null) {
                        rec.violation(bytesReceived, bad);
                    }
                }
                break;
            case COLMOD:
                if (paramCount == 1) {
                    setColmod(params[0] & 0xFF);
                }
                break;
            case CASET:
                if (paramCount == 4) {
                    gram.columns(u16(0), u16(2));
                }
                break;
            case RASET:
                if (paramCount == 4) {
                    gram.rows(u16(0), u16(2));
                }
                break;
            default:
                break;
        }
    }

    private void setColmod(int v) {
        int depth = v & 0x07;
        if (depth != 5 && depth != 6) {
            rec.violation(bytesReceived, String.format("COLMOD 0x%02X: only 0x55 (16-bit) and 0x66 (18-bit) "
                    + "pixel formats are emulated", v));
            return;
        }
        if (depth == 5 && model.needs18Bit) {
            rec.violation(bytesReceived, String.format("COLMOD 0x%02X (16-bit) is ignored by %s on SPI: it "
                    + "keeps taking 18-bit pixels", v, model.name));
        }
        colmod = v;
    }

    private int u16(int i) {
        return (params[i] & 0xFF) << 8 | (params[i + 1] & 0xFF);
    }

    /** Ends the command in progress: final checks on its parameters, then into the log. */
    void endCommand() {
        if (cmd < 0) {
            return;
        }
        long pos = bytesReceived;
        switch (cmd) {
            case CASET:
            case RASET:
                if (paramCount != 4) {
                    rec.violation(pos, String.format("%s with %d parameter bytes (needs 4)", Dcs.name(cmd),
                            paramCount));
                } else if (u16(0) > u16(2)) {
                    rec.violation(pos, String.format("%s start %d after end %d", Dcs.name(cmd), u16(0), u16(2)));
                }
                break;
            case MADCTL:
            case COLMOD:
            case TEON:
                if (paramCount != 1) {
                    rec.violation(pos, String.format("%s with %d parameter bytes (needs 1)", Dcs.name(cmd),
                            paramCount));
                }
                break;
            case RAMWR:
            case RAMWRC:
                if (gram.pendingBytes() != 0) {
                    rec.violation(pos, String.format("memory write ended with %d byte(s) of an incomplete %d-bit "
                            + "pixel", gram.pendingBytes(), bitsPerPixel()));
                }
                break;
            default:
                break;
        }
        if (!currentUnlogged) {
            rec.log(current());
        }
        currentUnlogged = false;
        cmd = -1;
        if (memoryWrite) {
            scan.settle(displayOn && !sleeping);
        }
        memoryWrite = false;
        gram.endWrite();
    }

    /** The command in progress as a log entry, or null when there is none (or it was cleared). */
    DbiCommand inProgress() {
        return cmd >= 0 && !currentUnlogged ? current() : null;
    }

    /** The log was cleared: the command in progress is not logged when it ends. */
    void forgetInProgress() {
        currentUnlogged = cmd >= 0;
    }

    private DbiCommand current() {
        if (cmd == RAMWR || cmd == RAMWRC) {
            return new DbiCommand(cmd, new byte[0], dataBytes, false);
        }
        return new DbiCommand(cmd, Arrays.copyOf(params, Math.min(paramCount, MAX_PARAMS)), 0, false);
    }

    // ------------------------------------------------------------------ reads

    /**
     * A register read at {@code hz}: the command goes out (ending any memory write), then
     * {@code length} bytes come back (zeros where reads are not wired or the register is unknown).
     */
    byte[] read(int command, int length, int hz) {
        byte[] out = new byte[length];
        long pos = transfer(1, hz, String.format("read 0x%02X", command & 0xFF));
        if (pos < 0) {
            return out;
        }
        endCommand();
        timing.command(command & 0xFF, pos);
        timing.readClock(command & 0xFF, hz, pos);
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
                rec.violation(pos, String.format("read of unsupported register 0x%02X", command & 0xFF));
                value = new byte[0];
        }
        if (model.readable) {
            System.arraycopy(value, 0, out, 0, Math.min(length, value.length));
        }
        rec.log(DbiCommand.read(command & 0xFF, out));
        return out;
    }

    /** RDDPM: bit 7 booster, bit 4 sleep out, bit 3 normal mode, bit 2 display on. */
    private int powerMode() {
        return (sleeping ? 0 : 0x80 | 0x10) | 0x08 | (displayOn ? 0x04 : 0);
    }

    private void resetRegisters() {
        sleeping = true;
        displayOn = false;
        inverted = false;
        madctl = 0;
        colmod = model.defaultColmod;
        gram.resetWindow();
        scan.reset(timing.now());
        memoryWrite = false;
    }
}
