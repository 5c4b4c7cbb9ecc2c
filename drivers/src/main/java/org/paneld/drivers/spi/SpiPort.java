package org.paneld.drivers.spi;

import java.io.IOException;

/**
 * One SPI device (a chip select on a bus, /dev/spidevB.C on a Pi): ours, small, so that the
 * backend (Pi4J today, something FFM-based later, a virtual panel in tests) can be swapped
 * without touching drivers.
 *
 * <p>Implementations run every call inside the owning device's unplug guard (so a call after
 * unplug fails with {@link org.paneld.drivers.core.NoDeviceException}, ENODEV) and report other
 * failures as {@link org.paneld.drivers.core.DeviceException} EIO naming the port. Lifetime: the
 * hardware binding (created at probe, closed when the device's hardware scope is released).
 * Threads: one caller at a time (the device's flush thread or its transfer thread); not
 * thread-safe.
 */
public interface SpiPort {

    /**
     * Writes {@code len} bytes of {@code buf} from {@code off}. Implementations split the bytes
     * into transfers of at most {@link #maxTransfer()} bytes (Pi4J's linuxfs SPI does not).
     */
    void write(byte[] buf, int off, int len) throws IOException;

    /**
     * {@link #write(byte[], int, int)} with each transfer clocked at {@code clockHz}, one of
     * {@link #clocks()} (the kernel sends commands and parameters at no more than 10 MHz and
     * pixel data at the device's speed). A port with a single clock (a recorder, an emulator
     * without clock rules) sends at {@link #speedHz()}.
     */
    default void write(byte[] buf, int off, int len, int clockHz) throws IOException {
        write(buf, off, len);
    }

    /**
     * A full-duplex transfer: clocks out {@code tx[0..len)} while reading {@code rx[0..len)};
     * {@code len <= maxTransfer()}. Used for controller reads (e.g. the DCS power mode).
     */
    void transfer(byte[] tx, byte[] rx, int len) throws IOException;

    /** {@link #transfer(byte[], byte[], int)} clocked at {@code clockHz}, one of {@link #clocks()} (reads go slow). */
    default void transfer(byte[] tx, byte[] rx, int len, int clockHz) throws IOException {
        transfer(tx, rx, len);
    }

    /**
     * The clocks this port can run a transfer at, in Hz: {@link #speedHz()} and any slower
     * clocks asked for at open (commands, reads). A single-clock port answers {@code {speedHz()}}.
     */
    default int[] clocks() {
        return new int[] {speedHz()};
    }

    /** The largest single transfer in bytes (spidev's bufsiz, 4096 by default); even. */
    int maxTransfer();

    /** The clock of pixel data (the configured {@code spi_speed_hz}), in Hz. */
    int speedHz();

    /**
     * Whether the port runs a transfer at whatever clock it is asked for (an emulator that checks
     * clocks), rather than only at {@link #clocks()}.
     */
    default boolean anyClock() {
        return false;
    }

    /** Whether {@link #transfer} returns what the device sends (false for a write-only wiring). */
    default boolean canRead() {
        return true;
    }

    /** A name for messages, e.g. "spi /dev/spidev0.0". */
    String describe();
}
