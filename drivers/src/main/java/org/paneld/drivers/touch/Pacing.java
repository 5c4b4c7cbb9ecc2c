package org.paneld.drivers.touch;

import java.io.IOException;
import org.paneld.drivers.spi.IrqLine;

/**
 * When a chip on an interrupt line is read: every {@code periodMs} while a contact is down (or
 * being debounced); idle, at once when the line is (or becomes) active, else not at all — but a
 * line that stays active with nothing touched (a stuck or noisy line) is read only every
 * {@value #POLL_MS} ms, and a chip without a line is polled that often. Lifetime: its chip's.
 * Threads: the sampling thread.
 */
final class Pacing {
    static final int POLL_MS = 20;
    static final long IDLE_WAIT_NS = 250_000_000L;

    private final IrqLine irq;
    private final int periodMs;
    private boolean idleRead;

    Pacing(IrqLine irq, int periodMs) {
        this.irq = irq;
        this.periodMs = periodMs;
    }

    boolean await(boolean touched) throws IOException, InterruptedException {
        if (touched) {
            idleRead = false;
            Thread.sleep(periodMs);
            return true;
        }
        if (irq == null) {
            Thread.sleep(POLL_MS);
            return true;
        }
        if (irq.isActive()) {
            if (idleRead) {
                Thread.sleep(POLL_MS); // active, yet nothing was touched at the last read
            }
            idleRead = true;
            return true;
        }
        idleRead = false;
        return irq.awaitActive(IDLE_WAIT_NS);
    }
}
