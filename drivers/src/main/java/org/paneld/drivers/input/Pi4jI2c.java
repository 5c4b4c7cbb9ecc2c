package org.paneld.drivers.input;

import com.pi4j.context.Context;
import com.pi4j.io.IOType;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import java.io.IOException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.UnplugGuard;

/**
 * Opens an I2C device through Pi4J 2.8 (linuxfs I2C on /dev/i2c-N; the context's I2C provider
 * otherwise, the mock plugin's in tests) and wraps it as our {@link I2cPort}. The Pi4J object is
 * registered in the device's hardware scope (shut down and taken out of Pi4J's registry, so a
 * rebind can open it again); every call runs inside the device's guard. Lifetime: used at probe;
 * the port lives in the hardware binding. Threads: the probing thread; the port one caller at a time.
 */
public final class Pi4jI2c {
    public static final String I2C_PROVIDER = "linuxfs-i2c";

    private Pi4jI2c() {
    }

    /** Opens address {@code address} on /dev/i2c-{@code bus}. */
    public static I2cPort open(Device device, Context context, int bus, int address) throws Exception {
        String what = "i2c-" + bus + " 0x" + Integer.toHexString(address);
        String id = "paneld." + device.name().replaceAll("[^A-Za-z0-9_.-]", "_") + ".touch-i2c";
        I2C i2c;
        try {
            String provider = context.hasProvider(I2C_PROVIDER) ? I2C_PROVIDER : context.provider(IOType.I2C).id();
            I2CConfig config = I2C.newConfigBuilder(context).id(id).name(device.name() + " " + what)
                    .bus(bus).device(address).provider(provider).build();
            i2c = context.create(config);
        } catch (RuntimeException e) {
            throw new DeviceException(Errno.EIO, "cannot open " + what + ": " + e.getMessage(), e);
        }
        I2C opened = i2c;
        device.hardware().addOrReset("pi4j " + what + " (" + id + ")", () -> {
            try {
                opened.close();
            } finally {
                if (context.registry().exists(id)) {
                    context.shutdown(id);
                }
            }
        });
        return new Port(device.guard(), i2c, what);
    }

    private static final class Port implements I2cPort {
        private final UnplugGuard guard;
        private final I2C i2c;
        private final String what;

        Port(UnplugGuard guard, I2C i2c, String what) {
            this.guard = guard;
            this.i2c = i2c;
            this.what = what;
        }

        @Override
        public void readRegisters(int register, byte[] buf, int off, int len) throws IOException {
            guard.enter();
            try {
                int n = i2c.readRegister(register, buf, off, len);
                if (n != len) {
                    throw new DeviceException(Errno.EIO, what + ": read of " + len + " bytes at 0x"
                            + Integer.toHexString(register) + " returned " + n);
                }
            } catch (RuntimeException e) {
                throw new DeviceException(Errno.EIO, what + ": read failed: " + e.getMessage(), e);
            } finally {
                guard.exit();
            }
        }

        @Override
        public void writeRegister(int register, int value) throws IOException {
            guard.enter();
            try {
                i2c.writeRegister(register, (byte) value);
            } catch (RuntimeException e) {
                throw new DeviceException(Errno.EIO, what + ": write failed: " + e.getMessage(), e);
            } finally {
                guard.exit();
            }
        }

        @Override
        public String describe() {
            return what;
        }
    }
}
