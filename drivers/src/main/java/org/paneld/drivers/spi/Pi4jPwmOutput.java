package org.paneld.drivers.spi;

import com.pi4j.io.pwm.Pwm;
import java.io.IOException;
import org.paneld.drivers.core.UnplugGuard;

import static org.paneld.drivers.spi.Pi4jHardware.PWM_FREQUENCY_HZ;
import static org.paneld.drivers.spi.Pi4jHardware.ioError;

/**
 * A PWM line as an output with duty cycle (backlight brightness), at
 * {@link Pi4jHardware#PWM_FREQUENCY_HZ}, set inside the guard. Made by
 * {@link Pi4jHardware#openPwm}. Lifetime: the hardware binding (the PWM is shut down with the
 * hardware scope). Threads: one caller at a time.
 */
final class Pi4jPwmOutput implements GpioOutput {
    private final UnplugGuard guard;
    private final Pwm pwm;
    private final String what;

    Pi4jPwmOutput(UnplugGuard guard, Pwm pwm, String what) {
        this.guard = guard;
        this.pwm = pwm;
        this.what = what;
    }

    @Override
    public void set(boolean high) throws IOException {
        duty(high ? 100 : 0);
    }

    @Override
    public boolean hasDuty() {
        return true;
    }

    @Override
    public void duty(int percent) throws IOException {
        int p = Math.max(0, Math.min(100, percent));
        guard.enter();
        try {
            if (p == 0) {
                pwm.off();
            } else {
                pwm.on(p, PWM_FREQUENCY_HZ);
            }
        } catch (RuntimeException e) {
            throw ioError(what, "duty " + p + " %", e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public String describe() {
        return what;
    }
}
