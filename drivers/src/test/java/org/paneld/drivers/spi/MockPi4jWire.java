package org.paneld.drivers.spi;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfig;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.io.pwm.PwmConfig;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiConfig;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProviderImpl;
import com.pi4j.plugin.mock.provider.pwm.MockPwm;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProviderImpl;
import com.pi4j.plugin.mock.provider.spi.MockSpi;
import com.pi4j.plugin.mock.provider.spi.MockSpiProviderImpl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Pi4J context built from Pi4J's mock plugin (MockSpi, MockDigitalOutput, MockPwm), whose
 * objects additionally decode the wire: after each SPI write the bytes MockSpi recorded are
 * drained ({@code readEntireMockBuffer}) and handed to a {@link Target} together with the level
 * of the mock D/C output at that moment; reset and backlight changes go to the target too. So a
 * test checks the bytes that went through Pi4J itself. Every Pi4J I/O call is logged (for the
 * "no call after unplug" checks) and an SPI write can be made to fail.
 * Test scope; thread-safe for one writer at a time.
 */
public final class MockPi4jWire {

    /** What receives the decoded wire (the virtual panel, or a recorder). */
    public interface Target {
        void write(boolean dcHigh, byte[] bytes);

        void writeOption1(byte[] packed);

        /** {@link #write(boolean, byte[])} with the clock of the Pi4J SPI handle that sent it. */
        default void write(boolean dcHigh, byte[] bytes, int clockHz) {
            write(dcHigh, bytes);
        }

        /** {@link #writeOption1(byte[])} with the clock of the Pi4J SPI handle that sent it. */
        default void writeOption1(byte[] packed, int clockHz) {
            writeOption1(packed);
        }

        /** {@link #read(int, int)} with the clock of the Pi4J SPI handle that clocked it. */
        default byte[] read(int cmd, int len, int clockHz) {
            return read(cmd, len);
        }

        void reset(boolean high);

        void backlight(int percent);

        /** Bytes the device answers to read command {@code cmd} ({@code len} of them). */
        byte[] read(int cmd, int len);
    }

    private final Context context;
    private volatile SpiConfig lastSpiConfig;
    private final List<SpiConfig> spiConfigs = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile Target target;
    private volatile boolean option1;
    private final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentHashMap<String, WiredOutput> outputs = new ConcurrentHashMap<>();
    private final AtomicInteger spiWrites = new AtomicInteger();
    private volatile int failAtWrite = -1;
    private volatile int shortAtWrite = -1;
    private volatile int shortValue;
    private final List<Transfer> transfers = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * One SPI transfer as Pi4J's SPI handle made it: "write" or "transfer", D/C level, length,
     * the handle's baud (the {@code speed_hz} linuxfs puts into the SPI_IOC_MESSAGE) and the
     * first byte.
     */
    public record Transfer(String op, boolean dcHigh, int len, int hz, int first) {
    }

    /** Every SPI transfer so far, with its clock. */
    public List<Transfer> transfers() {
        synchronized (transfers) {
            return new ArrayList<>(transfers);
        }
    }

    /**
     * The {@code n}-th SPI write from now on (1 = the next) sends nothing and returns
     * {@code value} (0: what linuxfs returns on EMSGSIZE; less than asked: a short write).
     */
    public void shortWriteAt(int n, int value) {
        shortValue = value;
        shortAtWrite = spiWrites.get() + n;
    }
    private volatile Runnable beforeWrite;
    private final AtomicInteger closed = new AtomicInteger();
    private volatile java.util.function.Supplier<org.paneld.drivers.core.UnplugGuard> guard = () -> null;

    /** A second chip on chip select 1 (a touch controller): full-duplex transfers. */
    @FunctionalInterface
    public interface SecondChip {
        void transfer(byte[] tx, byte[] rx, int len, int hz);
    }

    private volatile SecondChip cs1;

    /**
     * Routes chip select 1's transfers to {@code chip} instead of the panel; each is logged as
     * "spi cs1 write n" / "spi cs1 transfer n" and checked against {@link #requireGuard}.
     */
    public void chipSelect1(SecondChip chip) {
        this.cs1 = chip;
    }

    public MockPi4jWire(Target target) {
        this(target, new com.pi4j.provider.Provider[0]);
    }

    /** With further providers in the context (a test's I2C provider wired to an emulator). */
    public MockPi4jWire(Target target, com.pi4j.provider.Provider... extra) {
        this.target = target;
        this.context = Pi4J.newContextBuilder().noAutoDetect()
                .add(new WiredSpiProvider(), new WiredOutputProvider(), MockDigitalInputProvider.newInstance(),
                        new WiredPwmProvider())
                .add(extra)
                .build();
    }

    public Context context() {
        return context;
    }

    /** The config of the SPI device created last (each lives in a private context of its own). */
    public SpiConfig lastSpiConfig() {
        return lastSpiConfig;
    }

    /** The configs of every SPI device created so far, in order (mode, chip select, baud as Pi4J got them). */
    public List<SpiConfig> spiConfigs() {
        synchronized (spiConfigs) {
            return new ArrayList<>(spiConfigs);
        }
    }

    public void target(Target t) {
        this.target = t;
    }

    /** Bytes go to {@link Target#writeOption1} (no D/C line). */
    public void option1(boolean on) {
        this.option1 = on;
    }

    /** The {@code n}-th SPI write from now on (1 = the next) throws a Pi4J I/O exception. */
    public void failAtWrite(int n) {
        failAtWrite = spiWrites.get() + n;
    }

    /** Runs before every SPI write (on the writing thread), e.g. to start an unplug. */
    public void beforeWrite(Runnable r) {
        this.beforeWrite = r;
    }

    /**
     * Checks every later Pi4J I/O call against the guard {@code g} supplies (when it supplies
     * one): a call made outside a section of that guard on the calling thread is logged as
     * "UNGUARDED …".
     */
    public void requireGuard(java.util.function.Supplier<org.paneld.drivers.core.UnplugGuard> g) {
        this.guard = g;
    }

    private void record(String call) {
        org.paneld.drivers.core.UnplugGuard g = guard.get();
        if (g != null && !g.isHeldByCurrentThread()) {
            calls.add("UNGUARDED " + call + " on " + Thread.currentThread().getName());
        } else {
            calls.add(call);
        }
    }

    public int spiWrites() {
        return spiWrites.get();
    }

    /** Pi4J I/O calls so far ("spi write 4096", "dc HIGH", "backlight pwm 50" …). */
    public List<String> calls() {
        synchronized (calls) {
            return new ArrayList<>(calls);
        }
    }

    public int callCount() {
        return calls.size();
    }

    /** SPI devices closed (Pi4J shutdown of the SPI object). */
    public int spiClosed() {
        return closed.get();
    }

    public void shutdown() {
        context.shutdown();
    }

    private boolean dcHigh() {
        for (var e : outputs.entrySet()) {
            if (e.getKey().endsWith(".dc")) {
                return e.getValue().state() == DigitalState.HIGH;
            }
        }
        return false;
    }

    private void forward(byte[] b, int hz) {
        Target t = target;
        if (b.length > 0) {
            transfers.add(new Transfer("write", dcHigh(), b.length, hz, b[0] & 0xFF));
        }
        if (t == null || b.length == 0) {
            return;
        }
        if (option1) {
            t.writeOption1(b, hz);
        } else {
            t.write(dcHigh(), b, hz);
        }
    }

    private void maybeFail(int n) {
        Runnable r = beforeWrite;
        if (r != null) {
            r.run();
        }
        int w = spiWrites.incrementAndGet();
        if (w == failAtWrite) {
            calls.add("spi write " + n + " FAILED");
            throw new com.pi4j.io.exception.IOException("mock SPI write failed (injected at write " + w + ")");
        }
    }

    /** MockSpi that decodes each write. */
    final class WiredSpi extends MockSpi {
        WiredSpi(MockSpiProviderImpl p, SpiConfig c) {
            super(p, c);
        }

        @Override
        public int write(byte[] data, int offset, int length) {
            if (second()) {
                record("spi cs1 write " + length);
                cs1.transfer(Arrays.copyOfRange(data, offset, offset + length), new byte[length], length, config().baud());
                return length;
            }
            maybeFail(length);
            if (spiWrites.get() == shortAtWrite) {
                record("spi write " + length + " SHORT " + shortValue);
                if (shortValue > 0) { // a short write: only the first bytes reach the wire
                    super.write(data, offset, shortValue);
                    forward(readEntireMockBuffer(), config().baud());
                }
                return shortValue;
            }
            record("spi write " + length);
            int r = super.write(data, offset, length);
            forward(readEntireMockBuffer(), config().baud());
            return r;
        }

        @Override
        public int write(byte b) {
            maybeFail(1);
            record("spi write 1");
            int r = super.write(b);
            forward(readEntireMockBuffer(), config().baud());
            return r;
        }

        private boolean second() {
            return cs1 != null && config().getChipSelect() != null && config().getChipSelect().getChipSelect() == 1;
        }

        @Override
        public int transfer(byte[] write, int writeOffset, byte[] read, int readOffset, int numberOfBytes) {
            if (second()) {
                record("spi cs1 transfer " + numberOfBytes);
                byte[] tx = Arrays.copyOfRange(write, writeOffset, writeOffset + numberOfBytes);
                byte[] rx = new byte[numberOfBytes];
                cs1.transfer(tx, rx, numberOfBytes, config().baud());
                System.arraycopy(rx, 0, read, readOffset, numberOfBytes);
                return numberOfBytes;
            }
            record("spi transfer " + numberOfBytes);
            readEntireMockBuffer();
            int r = super.transfer(write, writeOffset, read, readOffset, numberOfBytes);
            byte[] sent = readEntireMockBuffer();
            transfers.add(new Transfer("transfer", dcHigh(), numberOfBytes, config().baud(), sent[0] & 0xFF));
            Target t = target;
            if (t != null && numberOfBytes > 1) {
                byte[] answer = t.read(sent[0] & 0xFF, numberOfBytes - 1, config().baud());
                Arrays.fill(read, readOffset, readOffset + numberOfBytes, (byte) 0);
                System.arraycopy(answer, 0, read, readOffset + 1, Math.min(answer.length, numberOfBytes - 1));
            }
            return r;
        }

        @Override
        public void close() {
            calls.add("spi close");
            closed.incrementAndGet();
            super.close();
        }
    }

    /** Supplies fresh instances of itself: each SPI device gets a private Pi4J context (see Pi4jHardware). */
    final class WiredSpiProvider extends MockSpiProviderImpl implements java.util.function.Supplier<com.pi4j.provider.Provider> {
        @Override
        public com.pi4j.provider.Provider get() {
            return new WiredSpiProvider();
        }

        @Override
        public Spi create(SpiConfig config) {
            WiredSpi spi = new WiredSpi(this, config);
            lastSpiConfig = config;
            spiConfigs.add(config);
            this.context.registry().add(spi);
            return spi;
        }
    }

    /** MockDigitalOutput that tells the target about reset and backlight levels. */
    final class WiredOutput extends MockDigitalOutput {
        WiredOutput(MockDigitalOutputProviderImpl p, DigitalOutputConfig c) {
            super(p, c);
        }

        @Override
        public DigitalOutput state(DigitalState s) {
            String id = id();
            String role = id.substring(id.lastIndexOf('.') + 1);
            record(role + " " + s);
            super.state(s);
            Target t = target;
            if (t != null) {
                if (id.endsWith(".reset")) {
                    t.reset(s == DigitalState.HIGH);
                } else if (id.endsWith(".backlight")) {
                    t.backlight(s == DigitalState.HIGH ? 100 : 0);
                }
            }
            return this;
        }
    }

    final class WiredOutputProvider extends MockDigitalOutputProviderImpl {
        @Override
        public DigitalOutput create(DigitalOutputConfig config) {
            WiredOutput out = new WiredOutput(this, config);
            outputs.put(config.id(), out);
            this.context.registry().add(out);
            return out;
        }
    }

    /** MockPwm that tells the target the duty cycle. */
    final class WiredPwm extends MockPwm {
        WiredPwm(MockPwmProviderImpl p, PwmConfig c) {
            super(p, c);
        }

        @Override
        public Pwm on() {
            record("backlight pwm " + dutyCycle);
            super.on();
            Target t = target;
            if (t != null) {
                t.backlight(Math.round(dutyCycle));
            }
            return this;
        }

        @Override
        public Pwm off() {
            record("backlight pwm off");
            super.off();
            Target t = target;
            if (t != null) {
                t.backlight(0);
            }
            return this;
        }
    }

    final class WiredPwmProvider extends MockPwmProviderImpl {
        @Override
        public Pwm create(PwmConfig config) {
            WiredPwm pwm = new WiredPwm(this, config);
            this.context.registry().add(pwm);
            return pwm;
        }
    }
}
