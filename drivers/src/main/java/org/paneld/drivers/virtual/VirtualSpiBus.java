package org.paneld.drivers.virtual;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The referee of one virtual SPI bus shared by several chips (a virtual panel on CE0 and its
 * touch controller on CE1): a transfer of one chip that starts while another chip's transfer is
 * in progress is a recorded violation — on real hardware the two chip selects would be asserted
 * at once and both chips would read each other's bytes. Lifetime: the panel's (it outlives
 * bindings). Threads: any.
 */
public final class VirtualSpiBus {
    private final String name;
    private final AtomicReference<String> busy = new AtomicReference<>();
    private final BoundedLog<String> violations = BoundedLog.first(100);
    private long transfers;

    public VirtualSpiBus(String name) {
        this.name = name;
    }

    /** Transfers at least this long count as bulk (pixel chunks) for {@link #sandwiches()}. */
    public static final int BULK = 1024;
    private String bulkChip;      // chip whose last transfer was bulk, before others took the bus
    private boolean othersSince;
    private long sandwiches;

    /** {@code chip} asserts its chip select for one transfer of {@code len} bytes. */
    public void begin(String chip, int len) {
        if (!busy.compareAndSet(null, chip)) {
            synchronized (this) {
                violations.add(name + ": " + chip + " started a transfer while " + busy.get()
                        + "'s transfer was in progress (interleaved chip selects)");
            }
        }
        synchronized (this) {
            transfers++;
            if (chip.equals(bulkChip) && othersSince && len >= BULK) {
                sandwiches++;
            }
            if (len >= BULK) {
                bulkChip = chip;
                othersSince = false;
            } else if (!chip.equals(bulkChip)) {
                othersSince = true;
            } else {
                bulkChip = null;
            }
        }
    }

    /**
     * How often another chip's transfers came between two bulk transfers (pixel chunks of at
     * least {@value #BULK} bytes) of one chip: touch samples taken in the middle of a frame.
     */
    public synchronized long sandwiches() {
        return sandwiches;
    }

    /** {@code chip} releases its chip select. */
    public void end(String chip) {
        busy.compareAndSet(chip, null);
    }

    public synchronized long transfers() {
        return transfers;
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Throws AssertionError listing the violations, if any. */
    public synchronized void assertNoViolations() {
        if (!violations.isEmpty() || violations.dropped() > 0) {
            throw new AssertionError(violations.size() + violations.dropped() + " bus violation(s):\n  "
                    + String.join("\n  ", violations));
        }
    }
}
