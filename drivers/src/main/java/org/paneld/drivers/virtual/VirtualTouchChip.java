package org.paneld.drivers.virtual;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.display.TouchSimulator;
import org.paneld.drivers.input.I2cPort;
import org.paneld.drivers.input.TouchWiring;
import org.paneld.drivers.spi.IrqLine;
import org.paneld.drivers.spi.SpiPort;

/**
 * The common part of the emulated touch controllers: the virtual finger ({@link TouchSimulator},
 * in display coordinates of the picture at the panel's view rotation, turned back to the
 * rotation-0 picture as a person's finger lands on the glass), the noise generator, the
 * interrupt line (level, edges, waiters) and the violation log; each chip turns the finger into
 * its own raw samples, registers and wire. Shares nothing with the drivers. A driver reaches a
 * chip as a {@link TouchWiring}; every call from the driver runs inside its unplug guard, and a
 * call after its hardware scope released the connection is a violation.
 *
 * <p>Lifetime: the panel's (outlives bindings). Threads: any; chip state under this object's
 * monitor, line waiters on their own lock.
 */
public abstract class VirtualTouchChip implements TouchWiring, TouchSimulator {
    private final String chip;
    private final int viewWidth;
    private final int viewHeight;
    private final int noise;
    private final Random random;
    private final BoundedLog<String> violations = BoundedLog.first(100);
    private final Object lineLock = new Object();
    private boolean lineActive; // under lineLock
    private long edges;         // under lineLock
    private int viewRotation;
    private VirtualSpiBus bus;
    /** The finger in rotation-0 picture coordinates; valid while {@link #pressed}. */
    protected boolean pressed;
    protected int fingerX;
    protected int fingerY;

    /**
     * @param viewWidth  width of the panel's picture at rotation 0
     * @param viewHeight its height
     * @param noise      amplitude of the conversion noise in raw units (uniform in ±noise)
     */
    protected VirtualTouchChip(String chip, int viewWidth, int viewHeight, int noise, long seed) {
        if (noise < 0) {
            throw new IllegalArgumentException("noise must be >= 0, got " + noise);
        }
        this.chip = chip;
        this.viewWidth = viewWidth;
        this.viewHeight = viewHeight;
        this.noise = noise;
        this.random = new Random(seed);
    }

    @Override
    public final String chip() {
        return chip;
    }

    /** The rotation of the picture the client draws (the panel's view rotation). */
    public synchronized void setViewRotation(int rotation) {
        if (rotation % 90 != 0 || rotation < 0 || rotation > 270) {
            throw new IllegalArgumentException("rotation " + rotation);
        }
        viewRotation = rotation;
    }

    /** The SPI bus this chip shares with its panel. */
    public synchronized void setBus(VirtualSpiBus bus) {
        this.bus = bus;
    }

    public synchronized VirtualSpiBus bus() {
        return bus;
    }

    protected final int viewWidth() {
        return viewWidth;
    }

    protected final int viewHeight() {
        return viewHeight;
    }

    public final int noiseAmplitude() {
        return noise;
    }

    /** Uniform noise in ±amplitude. Call under this object's monitor. */
    protected final int noise() {
        return noise == 0 ? 0 : random.nextInt(2 * noise + 1) - noise;
    }

    protected final Random random() {
        return random;
    }

    // ----------------------------------------------------------------- the finger

    @Override
    public void press(int x, int y) {
        synchronized (this) {
            boolean turned = viewRotation == 90 || viewRotation == 270;
            int w = turned ? viewHeight : viewWidth, h = turned ? viewWidth : viewHeight;
            if (x < 0 || y < 0 || x >= w || y >= h) {
                throw new IllegalArgumentException("touch at " + x + "," + y + " is outside the " + w + "x" + h + " display");
            }
            switch (viewRotation) {
                case 90: fingerX = y; fingerY = viewHeight - 1 - x; break;
                case 180: fingerX = viewWidth - 1 - x; fingerY = viewHeight - 1 - y; break;
                case 270: fingerX = viewWidth - 1 - y; fingerY = x; break;
                default: fingerX = x; fingerY = y; break;
            }
            boolean was = pressed;
            pressed = true;
            fingerChanged(!was);
        }
        updateLine();
    }

    @Override
    public void release() {
        synchronized (this) {
            if (!pressed) {
                return;
            }
            pressed = false;
            fingerChanged(false);
        }
        updateLine();
    }

    public synchronized boolean isPressed() {
        return pressed;
    }

    /** The chip's reaction to the finger (down: it just touched). Under this object's monitor. */
    protected abstract void fingerChanged(boolean down);

    // ----------------------------------------------------------------- interrupt line

    /** Whether the chip asserts its interrupt line now (active low on the wire). Under the monitor. */
    protected abstract boolean lineAsserted();

    /** Recomputes the line; an inactive-to-active change is an edge. Call without the monitor held. */
    protected final void updateLine() {
        boolean a;
        synchronized (this) {
            a = lineAsserted();
        }
        synchronized (lineLock) {
            if (a && !lineActive) {
                edges++;
                lineLock.notifyAll();
            }
            lineActive = a;
        }
    }

    /** Whether the line is asserted (low) now. */
    public boolean lineActive() {
        synchronized (lineLock) {
            return lineActive;
        }
    }

    @Override
    public IrqLine openIrq(Device device) {
        UnplugGuard guard = device.guard();
        boolean[] closed = {false};
        device.hardware().add("virtual " + chip + " irq", () -> closed[0] = true);
        long[] seen = {edgeCount()};
        return new IrqLine() {
            @Override
            public boolean isActive() throws IOException {
                guard.enter();
                try {
                    if (closed[0]) {
                        violation("interrupt line read after the driver released it");
                        throw new DeviceException(Errno.ENODEV, "virtual " + chip + " irq: released");
                    }
                    return lineActive();
                } finally {
                    guard.exit();
                }
            }

            @Override
            public boolean awaitActive(long timeoutNanos) throws InterruptedException {
                long end = System.nanoTime() + timeoutNanos;
                synchronized (lineLock) {
                    while (edges == seen[0]) {
                        long left = end - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        lineLock.wait(left / 1_000_000, (int) (left % 1_000_000));
                    }
                    seen[0] = edges;
                    return true;
                }
            }

            @Override
            public String describe() {
                return "virtual " + chip + " irq";
            }
        };
    }

    private long edgeCount() {
        synchronized (lineLock) {
            return edges;
        }
    }

    // ----------------------------------------------------------------- wires

    /** One SPI transfer on this chip's chip select: tx in, rx out, at {@code clockHz}. Under the monitor. */
    protected void spiTransfer(byte[] tx, byte[] rx, int len, int clockHz) {
        throw new UnsupportedOperationException();
    }

    /**
     * One transfer on the chip's own SPI wire from outside the virtual wiring (a test's mock of
     * another backend, e.g. Pi4J's MockSpi on chip select 1); the line is updated after it.
     */
    public void wire(byte[] tx, byte[] rx, int len, int clockHz) {
        if (!hasSpi()) {
            throw new UnsupportedOperationException("the virtual " + chip + " is not on SPI");
        }
        synchronized (this) {
            spiTransfer(tx, rx, len, clockHz);
        }
        updateLine();
    }

    /** A register read on the chip's own I2C wire from outside the virtual wiring (a test's Pi4J mock). */
    public void registerRead(int register, byte[] buf, int off, int len) {
        if (!hasI2c()) {
            throw new UnsupportedOperationException("the virtual " + chip + " is not on I2C");
        }
        synchronized (this) {
            i2cRead(register, buf, off, len);
        }
        updateLine();
    }

    /** A register write on the chip's own I2C wire from outside the virtual wiring. */
    public void registerWrite(int register, int value) {
        if (!hasI2c()) {
            throw new UnsupportedOperationException("the virtual " + chip + " is not on I2C");
        }
        synchronized (this) {
            i2cWrite(register, value);
        }
        updateLine();
    }

    /** Whether the chip has an SPI face. */
    protected boolean hasSpi() {
        return false;
    }

    @Override
    public SpiPort openSpi(Device device, int speedHz) throws IOException {
        if (!hasSpi()) {
            throw new DeviceException(Errno.ENODEV, "the virtual " + chip + " is not on SPI");
        }
        UnplugGuard guard = device.guard();
        boolean[] closed = {false};
        device.hardware().add("virtual " + chip + " spi", () -> closed[0] = true);
        String name = "virtual " + chip + " spi";
        return new SpiPort() {
            @Override
            public void write(byte[] buf, int off, int len) throws IOException {
                byte[] tx = java.util.Arrays.copyOfRange(buf, off, off + len);
                transfer(tx, new byte[len], len, speedHz);
            }

            @Override
            public void write(byte[] buf, int off, int len, int clockHz) throws IOException {
                byte[] tx = java.util.Arrays.copyOfRange(buf, off, off + len);
                transfer(tx, new byte[len], len, clockHz);
            }

            @Override
            public void transfer(byte[] tx, byte[] rx, int len) throws IOException {
                transfer(tx, rx, len, speedHz);
            }

            @Override
            public void transfer(byte[] tx, byte[] rx, int len, int clockHz) throws IOException {
                guard.enter();
                try {
                    if (closed[0]) {
                        violation("SPI transfer after the driver released its port");
                        throw new DeviceException(Errno.ENODEV, name + ": released");
                    }
                    VirtualSpiBus b = bus();
                    if (b != null) {
                        b.begin(chip, len);
                    }
                    try {
                        synchronized (VirtualTouchChip.this) {
                            spiTransfer(tx, rx, len, clockHz);
                        }
                    } finally {
                        if (b != null) {
                            b.end(chip);
                        }
                    }
                } finally {
                    guard.exit();
                }
                updateLine();
            }

            @Override
            public int maxTransfer() {
                return 4096;
            }

            @Override
            public int speedHz() {
                return speedHz;
            }

            @Override
            public boolean anyClock() {
                return true;
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    /** Register reads from {@code register} on, auto-incrementing. Under the monitor. */
    protected void i2cRead(int register, byte[] buf, int off, int len) {
        throw new UnsupportedOperationException();
    }

    /** A register write. Under the monitor. */
    protected void i2cWrite(int register, int value) {
        throw new UnsupportedOperationException();
    }

    protected boolean hasI2c() {
        return false;
    }

    @Override
    public I2cPort openI2c(Device device) throws IOException {
        if (!hasI2c()) {
            throw new DeviceException(Errno.ENODEV, "the virtual " + chip + " is not on I2C");
        }
        UnplugGuard guard = device.guard();
        boolean[] closed = {false};
        device.hardware().add("virtual " + chip + " i2c", () -> closed[0] = true);
        String name = "virtual " + chip + " i2c";
        return new I2cPort() {
            @Override
            public void readRegisters(int register, byte[] buf, int off, int len) throws IOException {
                guard.enter();
                try {
                    check();
                    synchronized (VirtualTouchChip.this) {
                        i2cRead(register, buf, off, len);
                    }
                } finally {
                    guard.exit();
                }
                updateLine();
            }

            @Override
            public void writeRegister(int register, int value) throws IOException {
                guard.enter();
                try {
                    check();
                    synchronized (VirtualTouchChip.this) {
                        i2cWrite(register, value);
                    }
                } finally {
                    guard.exit();
                }
                updateLine();
            }

            private void check() throws DeviceException {
                if (closed[0]) {
                    violation("I2C access after the driver released its port");
                    throw new DeviceException(Errno.ENODEV, name + ": released");
                }
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    @Override
    public java.util.Optional<TouchSimulator> simulator() {
        return java.util.Optional.of(this);
    }

    // ----------------------------------------------------------------- violations

    /** Records a protocol violation. */
    protected final void violation(String what) {
        synchronized (violations) {
            violations.add(chip + ": " + what);
        }
    }

    public List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** Throws AssertionError listing the violations, if any. */
    public void assertNoViolations() {
        synchronized (violations) {
            if (!violations.isEmpty()) {
                throw new AssertionError(violations.size() + " violation(s):\n  " + String.join("\n  ", violations));
            }
        }
    }

    @Override
    public String toString() {
        return "virtual " + chip;
    }
}
