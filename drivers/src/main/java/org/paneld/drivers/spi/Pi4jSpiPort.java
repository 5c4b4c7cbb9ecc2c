package org.paneld.drivers.spi;

import com.pi4j.io.spi.Spi;
import java.io.IOException;
import java.util.Objects;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.UnplugGuard;

import static org.paneld.drivers.spi.Pi4jHardware.ioError;

/**
 * Our SPI port on Pi4J {@link Spi} handles, one per clock (the first at the pixel clock);
 * every call inside the guard; writes split to maxTransfer; every Pi4J return value checked
 * (linuxfs answers 0 written when the kernel refuses a transfer, e.g. EMSGSIZE over spidev's
 * bufsiz, and only logs it). Made by {@link Pi4jHardware#openSpi}. Lifetime: the hardware binding
 * (the handles are closed with the hardware scope). Threads: one caller at a time, as
 * {@link SpiPort} says.
 */
final class Pi4jSpiPort implements SpiPort {
    private final UnplugGuard guard;
    private final Spi[] handles;
    private final int[] clocks;
    private final String what;
    private final int maxTransfer;

    Pi4jSpiPort(UnplugGuard guard, Spi[] handles, int[] clocks, String what, int maxTransfer) {
        this.guard = guard;
        this.handles = handles;
        this.clocks = clocks;
        this.what = what;
        this.maxTransfer = Math.max(2, maxTransfer & ~1);
    }

    private Spi handle(int clockHz) throws DeviceException {
        for (int i = 0; i < clocks.length; i++) {
            if (clocks[i] == clockHz) {
                return handles[i];
            }
        }
        throw new DeviceException(Errno.EINVAL, what + ": no handle at " + clockHz + " Hz (opened at "
                + java.util.Arrays.toString(clocks) + ")");
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        write(buf, off, len, clocks[0]);
    }

    @Override
    public void write(byte[] buf, int off, int len, int clockHz) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        Spi spi = handle(clockHz);
        while (len > 0) {
            int n = Math.min(len, maxTransfer);
            guard.enter();
            try {
                int r = spi.write(buf, off, n);
                if (r != n) {
                    throw new DeviceException(Errno.EIO, what + ": write of " + n + " bytes at " + clockHz
                            + " Hz sent " + r + " (the kernel refused the transfer; spi_max_transfer is "
                            + maxTransfer + ", is it above spidev's bufsiz?)");
                }
            } catch (RuntimeException e) {
                throw ioError(what, "write of " + n + " bytes", e);
            } finally {
                guard.exit();
            }
            off += n;
            len -= n;
        }
    }

    @Override
    public void transfer(byte[] tx, byte[] rx, int len) throws IOException {
        transfer(tx, rx, len, clocks[0]);
    }

    @Override
    public void transfer(byte[] tx, byte[] rx, int len, int clockHz) throws IOException {
        if (len > maxTransfer) {
            throw new DeviceException(Errno.EINVAL, what + ": transfer of " + len + " bytes exceeds " + maxTransfer);
        }
        Spi spi = handle(clockHz);
        guard.enter();
        try {
            int r = spi.transfer(tx, 0, rx, 0, len);
            if (r < 0) { // linuxfs: -1 when the ioctl failed (its length otherwise; Pi4J's mock: 0)
                throw new DeviceException(Errno.EIO, what + ": transfer of " + len + " bytes at " + clockHz
                        + " Hz returned " + r);
            }
        } catch (RuntimeException e) {
            throw ioError(what, "transfer of " + len + " bytes", e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public int maxTransfer() {
        return maxTransfer;
    }

    @Override
    public int speedHz() {
        return clocks[0];
    }

    @Override
    public int[] clocks() {
        return clocks.clone();
    }

    @Override
    public String describe() {
        return what;
    }
}
