package org.paneld.drivers.virtual;

import static org.paneld.drivers.virtual.Dcs.NOP;
import static org.paneld.drivers.virtual.Dcs.SLPIN;
import static org.paneld.drivers.virtual.Dcs.SLPOUT;
import static org.paneld.drivers.virtual.Dcs.SWRESET;

import java.util.concurrent.TimeUnit;

/**
 * The controller's timing rules, checked as the wire goes by: 5 ms after reset release, SWRESET,
 * SLPOUT and SLPIN before the next command; 120 ms between SLPOUT and SLPIN either way; 120 ms
 * after reset (or a SWRESET sent while awake) before SLPOUT; and, when switched on, the SPI clock
 * of each transfer against the controller's serial write cycle (commands and parameters) and
 * read cycle (register reads). Time is the wall clock plus what a virtual bus declared with
 * {@link #elapse} for a wait it skipped. Lifetime: its panel. Threads: the panel's lock.
 */
final class DbiTiming {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final DbiModel model;
    private final DbiRecorder rec;

    private boolean timingChecks = true;
    private boolean clockChecks = true;
    private long skippedNanos;
    private boolean wireTimed;
    private long logical;     // the clock while the wire is timed
    private long resetReleasedAt = Long.MIN_VALUE / 2;
    private long swresetAt = Long.MIN_VALUE / 2;
    private boolean swresetWhileAwake;
    private long slpoutAt = Long.MIN_VALUE / 2;
    private long slpinAt = Long.MIN_VALUE / 2;
    private long lastCommandAt = Long.MIN_VALUE / 2;
    private int lastTimedCommand = -1;    // the last of reset(-1)/SWRESET/SLPOUT/SLPIN seen

    DbiTiming(DbiModel model, DbiRecorder rec) {
        this.model = model;
        this.rec = rec;
    }

    void elapse(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative time " + nanos);
        }
        skippedNanos += nanos;
        if (wireTimed) {
            logical += nanos;
        }
    }

    /**
     * Switches to (or from) a logical clock that moves only with the wire: a transfer takes its
     * bytes at its clock ({@link #advance}) and declared waits ({@link #elapse}) pass; the wall
     * clock no longer counts. Time continues from where it is.
     */
    void setWireTiming(boolean on) {
        if (on && !wireTimed) {
            logical = System.nanoTime() + skippedNanos;
        } else if (!on && wireTimed) {
            skippedNanos = logical - System.nanoTime();
        }
        wireTimed = on;
    }

    boolean wireTimed() {
        return wireTimed;
    }

    /** A transfer of {@code bytes} at {@code clockHz} took its time on the wire (wire timing only). */
    void advance(long bytes, int clockHz) {
        if (wireTimed && clockHz > 0) {
            logical += Math.round(bytes * 8e9 / clockHz);
        }
    }

    void setTimingChecks(boolean on) {
        timingChecks = on;
    }

    void setClockChecks(boolean on) {
        clockChecks = on;
    }

    boolean clockChecks() {
        return clockChecks;
    }

    /** The reset line was released: the 5 ms / 120 ms clocks start. */
    void resetReleased() {
        resetReleasedAt = now();
        lastTimedCommand = -1;
        swresetWhileAwake = false;
    }

    /** A SWRESET arrived while the controller was {@code awake} (then SLPOUT needs 120 ms). */
    void swreset(boolean awake) {
        swresetWhileAwake = awake;
    }

    /** Checks command {@code c} arriving now against the delays, then notes it. */
    void command(int c, long pos) {
        long t = now();
        if (timingChecks) {
            if (t - resetReleasedAt < 5 * MS) {
                rec.violation(pos, String.format("command 0x%02X %s after reset release (wait 5 ms)", c,
                        ms(t - resetReleasedAt)));
            } else if (lastTimedCommand >= 0 && t - lastCommandAt < 5 * MS && c != NOP) {
                rec.violation(pos, String.format("command 0x%02X %s after %s (wait 5 ms)", c, ms(t - lastCommandAt),
                        Dcs.name(lastTimedCommand)));
            }
            if (c == SLPOUT) {
                if (t - resetReleasedAt < 120 * MS) {
                    rec.violation(pos, "SLPOUT " + ms(t - resetReleasedAt) + " after reset release (wait 120 ms)");
                } else if (swresetWhileAwake && t - swresetAt < 120 * MS) {
                    rec.violation(pos, "SLPOUT " + ms(t - swresetAt)
                            + " after a SWRESET sent while awake (wait 120 ms)");
                }
                if (t - slpinAt < 120 * MS) {
                    rec.violation(pos, "SLPOUT " + ms(t - slpinAt) + " after SLPIN (wait 120 ms)");
                }
            } else if (c == SLPIN && t - slpoutAt < 120 * MS) {
                rec.violation(pos, "SLPIN " + ms(t - slpoutAt) + " after SLPOUT (wait 120 ms)");
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

    /**
     * Checks that a command byte or parameter bytes ({@code what}) clocked at {@code clockHz}
     * (0: unknown, not checked) respect the serial write cycle. Returns whether it flagged.
     */
    boolean writeClock(int clockHz, String what, long pos) {
        int cycle = model.writeCycleNs;
        if (!clockChecks || clockHz <= 0 || cycle <= 0 || (long) clockHz * cycle <= 1_000_000_000L) {
            return false;
        }
        rec.violation(pos, String.format("%s clocked at %s, faster than %s's serial write cycle (%d ns min, "
                + "%s max)", what, mhz(clockHz), model.name, cycle, mhz(1_000_000_000L / cycle)));
        return true;
    }

    /** Checks that a register read of {@code c} clocked at {@code clockHz} respects the read cycle. */
    void readClock(int c, int clockHz, long pos) {
        int cycle = model.readCycleNs;
        if (!clockChecks || clockHz <= 0 || cycle <= 0 || (long) clockHz * cycle <= 1_000_000_000L) {
            return;
        }
        rec.violation(pos, String.format("read 0x%02X clocked at %s, faster than %s's serial read cycle (%d ns min, "
                + "%s max): the answer is garbage", c, mhz(clockHz), model.name, cycle, mhz(1_000_000_000L / cycle)));
    }

    /** The panel's time: the wall clock plus declared waits, or the logical clock of a timed wire. */
    long now() {
        if (wireTimed) {
            return logical;
        }
        return System.nanoTime() + skippedNanos;
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

    private static String mhz(long hz) {
        return String.format("%.2f MHz", hz / 1e6);
    }
}
