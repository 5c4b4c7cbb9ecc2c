package org.paneld.drivers.spi;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import java.io.IOException;
import org.paneld.drivers.core.UnplugGuard;

/**
 * An active-low interrupt line on a Pi4J {@link DigitalInput}: the level read inside the guard,
 * edges to low counted by Pi4J's listener (its event thread) and waited for without the guard.
 * Lifetime: the hardware binding (the input is shut down with the hardware scope). Threads: one
 * waiter; the listener on Pi4J's thread.
 */
final class Pi4jIrqLine implements IrqLine {
    private final UnplugGuard guard;
    private final DigitalInput in;
    private final String what;
    private final Object lock = new Object();
    private boolean edge; // under lock

    Pi4jIrqLine(UnplugGuard guard, DigitalInput in, String what) {
        this.guard = guard;
        this.in = in;
        this.what = what;
        DigitalStateChangeListener l = event -> {
            if (event.state() == DigitalState.LOW) {
                synchronized (lock) {
                    edge = true;
                    lock.notifyAll();
                }
            }
        };
        in.addListener(l);
    }

    @Override
    public boolean isActive() throws IOException {
        guard.enter();
        try {
            return in.state() == DigitalState.LOW;
        } catch (RuntimeException e) {
            throw Pi4jHardware.ioError(what, "read", e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public boolean awaitActive(long timeoutNanos) throws InterruptedException {
        long end = System.nanoTime() + timeoutNanos;
        synchronized (lock) {
            while (!edge) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(left / 1_000_000, (int) (left % 1_000_000));
            }
            edge = false;
            return true;
        }
    }

    @Override
    public String describe() {
        return what;
    }
}
