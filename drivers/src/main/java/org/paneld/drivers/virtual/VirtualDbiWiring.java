package org.paneld.drivers.virtual;

import java.io.IOException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.EdgeInput;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.spi.SpiPort;

/**
 * The wires of a {@link VirtualDbiPanel} (backend "virtual"): SPI bytes go to
 * {@link VirtualDbiPanel#write} with the level of the virtual D/C line (option 3) or to
 * {@link VirtualDbiPanel#writeOption1} (option 1), reset to {@link VirtualDbiPanel#setReset},
 * the backlight (with brightness) to {@link VirtualDbiPanel#setBacklight}, full-duplex
 * transfers become {@link VirtualDbiPanel#read}; each transfer carries the clock the bus asked for
 * (commands, reads and pixels each their own), which the panel checks against the controller's write and read cycles. Every call runs inside the device's unplug
 * guard, like a real backend. Waits that a test sleeper skips are declared to the panel
 * ({@link VirtualDbiPanel#elapse}) so its timing checks stay meaningful. Lifetime: the hardware
 * binding (the panel itself outlives it). Threads: one caller at a time.
 *
 * <p>It lives on the emulators' side: the MIPI DBI drivers get it from
 * {@code VirtualHardwareRegistry.wiring(device, DbiWiring.class)} (see {@link DbiPanelProvider})
 * and never name it.
 */
public final class VirtualDbiWiring implements DbiWiring {
    private final VirtualDbiPanel panel;

    public VirtualDbiWiring(VirtualDbiPanel panel) {
        this.panel = java.util.Objects.requireNonNull(panel);
    }

    /** When the simulated wire is free again ({@link VirtualDbiPanel#setWireHz}); the caller's thread only. */
    private long wireFreeAt;

    /**
     * With a wire clock set, waits until {@code bytes} that started at {@code started} are through
     * the wire (the emulator's decoding counts as wire time, as on a real panel; up to 2 ms of
     * oversleep is caught up).
     */
    private void pace(int bytes, long started) {
        int hz = panel.wireHz();
        if (hz <= 0) {
            return;
        }
        wireFreeAt = Math.max(wireFreeAt, started - 2_000_000L) + bytes * 8_000_000_000L / hz;
        long wait = wireFreeAt - System.nanoTime();
        if (wait > 20_000) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    public VirtualDbiPanel panel() {
        return panel;
    }

    /**
     * A sleeper that tells the panel about waits {@code inner} does not really spend, and about
     * every wait while the panel's wire is timed (its clock then ignores the wall clock).
     */
    @Override
    public Sleeper sleeper(Sleeper inner) {
        if (inner.waitsForReal() && !panel.isWireTimed()) {
            return inner;
        }
        return new Sleeper() {
            @Override
            public void sleepMicros(long micros) throws java.io.InterruptedIOException {
                inner.sleepMicros(micros);
                if (!inner.waitsForReal() || panel.isWireTimed()) {
                    panel.elapse(micros * 1000);
                }
            }

            @Override
            public boolean waitsForReal() {
                return inner.waitsForReal();
            }
        };
    }

    /**
     * The panel's TE output as an input line ({@code bcm} is not used: the virtual board wires
     * TE to the host directly). Its clock is the panel's; a wait for an edge passes the panel's
     * time up to the edge (declared with {@link VirtualDbiPanel#elapse} while the wire is timed,
     * really waited otherwise), or the whole timeout when none comes.
     */
    @Override
    public EdgeInput openTearing(Device device, int bcm) {
        UnplugGuard guard = device.guard();
        String name = "virtual " + panel.model().name() + " te";
        return new EdgeInput() {
            @Override
            public long nanoTime() {
                return panel.nanoTime();
            }

            @Override
            public long awaitEdge(boolean rising, long after, long timeoutNanos) throws IOException {
                guard.enter();
                try {
                    long now = panel.nanoTime();
                    long edge = panel.nextTeEdge(rising, after);
                    boolean found = edge != Long.MIN_VALUE && edge - now <= timeoutNanos;
                    long wait = found ? Math.max(0, edge - now) : Math.max(0, timeoutNanos);
                    if (panel.isWireTimed()) {
                        panel.elapse(wait);
                    } else {
                        Sleeper.SYSTEM.sleepMicros((wait + 999) / 1000);
                    }
                    return found ? edge : NO_EDGE;
                } finally {
                    guard.exit();
                }
            }

            @Override
            public boolean isHigh() throws IOException {
                guard.enter();
                try {
                    return panel.teLevel();
                } finally {
                    guard.exit();
                }
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    @Override
    public Lines open(Device device, int maxTransfer, boolean option1) {
        UnplugGuard guard = device.guard();
        boolean[] dc = {false};
        String name = "virtual " + panel.model().name();
        SpiPort spi = new SpiPort() {
            @Override
            public void write(byte[] buf, int off, int len) throws IOException {
                write(buf, off, len, speedHz());
            }

            @Override
            public void write(byte[] buf, int off, int len, int clockHz) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, buf.length);
                while (len > 0) {
                    int n = Math.min(len, maxTransfer);
                    long started = System.nanoTime(); // the panel decodes while the bits arrive: its time is wire time
                    guard.enter();
                    VirtualSpiBus bus = panel.spiBus();
                    bus.begin(name, n);
                    try {
                        if (option1) {
                            panel.writeOption1(buf, off, n, clockHz);
                        } else {
                            panel.write(dc[0], buf, off, n, clockHz);
                        }
                    } finally {
                        bus.end(name);
                        guard.exit();
                    }
                    pace(n, started);
                    off += n;
                    len -= n;
                }
            }

            @Override
            public void transfer(byte[] tx, byte[] rx, int len) throws IOException {
                transfer(tx, rx, len, speedHz());
            }

            @Override
            public void transfer(byte[] tx, byte[] rx, int len, int clockHz) throws IOException {
                guard.enter();
                VirtualSpiBus bus = panel.spiBus();
                bus.begin(name, len);
                try {
                    java.util.Arrays.fill(rx, 0, len, (byte) 0);
                    if (len > 1) {
                        byte[] answer = panel.read(tx[0] & 0xFF, len - 1, clockHz);
                        System.arraycopy(answer, 0, rx, 1, Math.min(answer.length, len - 1));
                    }
                } finally {
                    bus.end(name);
                    guard.exit();
                }
            }

            @Override
            public int maxTransfer() {
                return maxTransfer;
            }

            @Override
            public int speedHz() {
                return 32_000_000;
            }

            @Override
            public boolean anyClock() {
                return true; // the panel gets each transfer's own clock and judges it
            }

            @Override
            public boolean canRead() {
                return panel.model().readable();
            }

            @Override
            public String describe() {
                return name + " spi";
            }
        };
        GpioOutput dcLine = new GpioOutput() {
            @Override
            public void set(boolean high) throws IOException {
                guard.enter();
                try {
                    dc[0] = high;
                } finally {
                    guard.exit();
                }
            }

            @Override
            public String describe() {
                return name + " dc";
            }
        };
        GpioOutput reset = new GpioOutput() {
            @Override
            public void set(boolean high) throws IOException {
                guard.enter();
                try {
                    panel.setReset(!high); // the line is active low
                } finally {
                    guard.exit();
                }
            }

            @Override
            public String describe() {
                return name + " reset";
            }
        };
        GpioOutput backlight = new GpioOutput() {
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
                guard.enter();
                try {
                    panel.setBacklight(Math.max(0, Math.min(100, percent)));
                } finally {
                    guard.exit();
                }
            }

            @Override
            public String describe() {
                return name + " backlight";
            }
        };
        return new Lines(spi, option1 ? null : dcLine, reset, backlight);
    }
}
