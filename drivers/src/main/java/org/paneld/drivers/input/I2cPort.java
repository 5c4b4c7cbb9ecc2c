package org.paneld.drivers.input;

import java.io.IOException;

/**
 * One I2C device (an address on /dev/i2c-N): register reads and writes, every call inside the
 * owning device's unplug guard (ENODEV after unplug), other failures as DeviceException EIO
 * naming the port. Lifetime: the hardware binding. Threads: one caller at a time.
 */
public interface I2cPort {

    /** Writes the register address, then (repeated start) reads {@code len} bytes from there on. */
    void readRegisters(int register, byte[] buf, int off, int len) throws IOException;

    /** Writes {@code value} (0–255) to {@code register}. */
    void writeRegister(int register, int value) throws IOException;

    /** A name for messages, e.g. "i2c-1 0x38". */
    String describe();
}
