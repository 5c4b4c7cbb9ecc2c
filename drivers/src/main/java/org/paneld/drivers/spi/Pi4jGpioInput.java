package org.paneld.drivers.spi;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.io.IOException;
import org.paneld.drivers.core.UnplugGuard;

import static org.paneld.drivers.spi.Pi4jHardware.ioError;

/**
 * Our input line on a Pi4J {@link DigitalInput}, read inside the guard. Made by
 * {@link Pi4jHardware#openInput}. Lifetime: the hardware binding (the input is shut down with the
 * hardware scope). Threads: one caller at a time.
 */
final class Pi4jGpioInput implements GpioInput {
    private final UnplugGuard guard;
    private final DigitalInput in;
    private final String what;

    Pi4jGpioInput(UnplugGuard guard, DigitalInput in, String what) {
        this.guard = guard;
        this.in = in;
        this.what = what;
    }

    @Override
    public boolean isHigh() throws IOException {
        guard.enter();
        try {
            return in.state() == DigitalState.HIGH;
        } catch (RuntimeException e) {
            throw ioError(what, "read", e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public String describe() {
        return what;
    }
}
