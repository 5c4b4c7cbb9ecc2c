package org.paneld.drivers.spi;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.io.IOException;
import org.paneld.drivers.core.UnplugGuard;

import static org.paneld.drivers.spi.Pi4jHardware.ioError;

/**
 * Our output line on a Pi4J {@link DigitalOutput}, set inside the guard. Made by
 * {@link Pi4jHardware#openOutput}. Lifetime: the hardware binding (the output is shut down with
 * the hardware scope). Threads: one caller at a time.
 */
final class Pi4jGpioOutput implements GpioOutput {
    private final UnplugGuard guard;
    private final DigitalOutput out;
    private final String what;

    Pi4jGpioOutput(UnplugGuard guard, DigitalOutput out, String what) {
        this.guard = guard;
        this.out = out;
        this.what = what;
    }

    @Override
    public void set(boolean high) throws IOException {
        guard.enter();
        try {
            out.state(high ? DigitalState.HIGH : DigitalState.LOW);
        } catch (RuntimeException e) {
            throw ioError(what, "set " + (high ? "high" : "low"), e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public String describe() {
        return what;
    }
}
