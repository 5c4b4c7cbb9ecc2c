package org.paneld.drivers.virtual;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.spi.GpioInput;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.spi.SpiPort;
import org.paneld.drivers.spi.SpiWiring;

/**
 * A virtual Pervasive Displays e-paper panel with its COG (G1 or G2), driven by the same SPI
 * bytes and GPIO levels as the real one: the 0x70 register-index / 0x72 data / 0x73 read / 0x71
 * id framing, the panel-on, reset, discharge and border lines and the BUSY input. It decodes each
 * line written to register 0x0a and latched by 0x02 = 0x07 into pixel drives (11 black, 10 white,
 * 0x nothing) on the selected scan line, keeps the image the film shows, and judges every power
 * session (panel-on high to low) like a person watching the panel would:
 *
 * <ul>
 * <li>a <b>full update</b> (the last frame drives every pixel) in which some pixel was driven only
 *     one way — never to the opposite colour before its final drive — ghosts: a missing
 *     compensate, white or inverse stage. Recorded as a violation;</li>
 * <li>a <b>partial update</b> (some pixels never driven) is allowed on a G2 COG after a full update;
 *     on G1, or before any full update, it is a violation;</li>
 * <li>a session whose drives stop before a full last frame, or that the driver ends while its
 *     device is being unplugged (an update aborted at a stage boundary), is an <b>incomplete</b>
 *     refresh: counted, not judged for ghosting;</li>
 * <li>a <b>stage</b> (a run of identical driving frames) shorter than the panel's stage time
 *     times the temperature factor for the film's ambient temperature is under-driven;</li>
 * <li>SPI traffic while unpowered, lines latched with the charge pumps off, power cut with the
 *     charge pumps on, a wrong channel select, and being left powered when the driver's
 *     connection is released (unbind) are violations.</li>
 * </ul>
 *
 * <p>Written from the COG G2 interface document and the kernel's repaper.c with its own table of
 * films ({@link RepaperFilm}) and its own line decoding: it shares nothing with the driver, which
 * reaches it through {@link #wiring()} as an {@link SpiWiring}.
 *
 * <p>Time is logical ({@link #clock()}): waits advance it, and each SPI write advances it by its
 * bytes at {@code spi_hz}; nothing sleeps. Lifetime: the bus device (outlives bindings; the
 * driver {@link #connect connects} at probe and the connection is closed with the hardware
 * scope). Threads: any (synchronised); the line hook runs on the driver's thread.
 */
public final class VirtualRepaper implements VirtualHardware {
    public static final int G2_COG_ID = 0x12;

    private final RepaperFilm panel;
    private final IntSupplier ambient;
    private final boolean g2;
    private final int rotation;
    private final int spiHz;
    private final int w;
    private final int h;
    private final boolean[] black;
    private final byte[] runs;
    private final byte[] lastDrive;
    private final List<String> violations = BoundedLog.first(1024); // bounded: issue 10
    private final List<String> events = BoundedLog.latest(1024); // bounded: issue 10
    private long nanos;
    private Connection connection;
    private boolean panelOn, reset, discharge, border = false;
    private boolean busyStuck;
    private int register = -1;
    private final int[] regs = new int[256];
    private byte[] lineData;
    private boolean borderWhite;
    // the current power session
    private boolean sessionDriven;
    private boolean frameAllDriven = true, frameAnyDriven;
    private boolean lastDrivingFrameAllDriven;
    private int prevLine = Integer.MAX_VALUE;
    private boolean fullUpdateSeen;
    private int fullUpdates, partialUpdates, incompleteUpdates, linesLatched, frames;
    private IntConsumer lineHook;
    // stage passes: runs of identical frames
    private long frameHash = 1, passHash, frameStart, passStart;
    private int passFrames;
    private boolean passDrives;

    /**
     * @param panel    the panel model
     * @param g2       true for a COG G2 (answers 0x12 to the id read, allows partial updates)
     * @param rotation how the panel is mounted (0, 90, 180, 270 degrees counter-clockwise), for {@link #snapshot()}
     * @param spiHz    the SPI clock that logical time charges transfers at
     */
    public VirtualRepaper(RepaperFilm panel, boolean g2, int rotation, int spiHz) {
        this(panel, g2, rotation, spiHz, () -> 25);
    }

    /**
     * @param ambient the temperature (°C) the film is at, asked at every stage; a stage that
     *                drives for less than the panel's stage time times the temperature factor
     *                ({@link RepaperFilm#slowdown10x}) is under-driven: a violation
     */
    public VirtualRepaper(RepaperFilm panel, boolean g2, int rotation, int spiHz, IntSupplier ambient) {
        this.ambient = ambient;
        this.panel = panel;
        this.g2 = g2;
        this.rotation = rotation;
        this.spiHz = spiHz;
        this.w = panel.width();
        this.h = panel.height();
        this.black = new boolean[w * h];
        this.runs = new byte[w * h];
        this.lastDrive = new byte[w * h];
    }

    public RepaperFilm panel() {
        return panel;
    }

    // ------------------------------------------------------------------ test and status view

    /** What the film shows, in the client's orientation: black 0x000000, white 0xFFFFFF. */
    @Override
    public synchronized RgbImage snapshot() {
        boolean swap = rotation == 90 || rotation == 270;
        int cw = swap ? h : w, ch = swap ? w : h;
        RgbImage img = RgbImage.blank(cw, ch);
        for (int cy = 0; cy < ch; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                int px, py;
                switch (rotation) {
                    // the glass turned counter-clockwise by rotation (the panel mounted so)
                    case 90: px = w - 1 - cy; py = cx; break;
                    case 180: px = w - 1 - cx; py = h - 1 - cy; break;
                    case 270: px = cy; py = h - 1 - cx; break;
                    default: px = cx; py = cy;
                }
                img.set(cx, cy, black[py * w + px] ? 0x000000 : 0xFFFFFF);
            }
        }
        return img;
    }

    @Override
    public synchronized String describe() {
        return "repaper " + panel.configName() + " " + (g2 ? "G2" : "G1") + ", " + (panelOn ? "powered" : "off") + ", "
                + fullUpdates + " full / " + partialUpdates + " partial / " + incompleteUpdates + " incomplete updates, "
                + violations.size() + " violations";
    }

    /** Everything the panel objected to, in order (empty for a well-driven panel). */
    public synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }

    /** Notable events: power sessions and their classification. */
    public synchronized List<String> events() {
        return new ArrayList<>(events);
    }

    public synchronized boolean isPowered() {
        return panelOn || regs[0x05] != 0;
    }

    public synchronized boolean isConnected() {
        return connection != null;
    }

    public synchronized int fullUpdates() { return fullUpdates; }
    public synchronized int partialUpdates() { return partialUpdates; }
    public synchronized int incompleteUpdates() { return incompleteUpdates; }
    public synchronized int linesLatched() { return linesLatched; }
    /** Whether the border was last driven white. */
    public synchronized boolean borderWhite() { return borderWhite; }
    /** Logical time now, in ns. */
    public synchronized long nanos() { return nanos; }

    /** A hook run on the driver's thread after each latched line, with the count of lines so far. */
    public synchronized void setLineHook(IntConsumer hook) {
        this.lineHook = hook;
    }

    /** Makes BUSY stay high (a COG that never becomes ready). */
    public synchronized void setBusyStuck(boolean stuck) {
        this.busyStuck = stuck;
    }

    /** Waits on this panel advance its logical clock; nothing sleeps. */
    public Sleeper sleeper() {
        return micros -> advance(micros * 1000);
    }

    /**
     * The wires a driver opens at probe: SPI and the lines "panel-on", "discharge", "reset",
     * "border" (2.7" only) and "busy", through a {@link Connection} registered in the device's
     * hardware scope (closing it is the unbind), on this panel's logical clock.
     */
    public SpiWiring wiring() {
        return (device, maxTransfer) -> {
            Connection conn = connect(device.guard());
            device.hardware().addOrReset("disconnect from the virtual repaper", conn::close);
            return new SpiWiring.Lines() {
                @Override
                public SpiPort spi() {
                    return conn.spi();
                }

                @Override
                public GpioOutput output(String name) throws IOException {
                    switch (name) {
                        case "panel-on": return conn.panelOn();
                        case "discharge": return conn.discharge();
                        case "reset": return conn.reset();
                        case "border":
                            if (!panel.borderLine()) {
                                throw new DeviceException(Errno.ENODEV, device.name() + ": the " + panel.configName()
                                        + " has no border line");
                            }
                            return conn.border();
                        default:
                            throw new DeviceException(Errno.ENODEV, device.name() + ": the virtual repaper has no output line '"
                                    + name + "' (panel-on, discharge, reset, border)");
                    }
                }

                @Override
                public GpioInput input(String name) throws IOException {
                    if (!name.equals("busy")) {
                        throw new DeviceException(Errno.ENODEV, device.name() + ": the virtual repaper has no input line '"
                                + name + "' (busy)");
                    }
                    return conn.busy();
                }

                @Override
                public Sleeper sleeper() {
                    return VirtualRepaper.this.sleeper();
                }

                @Override
                public long nanoTime() {
                    return nanos();
                }
            };
        };
    }

    private synchronized void advance(long ns) {
        nanos += ns;
    }

    private void violation(String what) {
        violations.add(what);
    }

    // ------------------------------------------------------------------ the wire

    /**
     * Connects a driver (at probe): the returned ports run every call inside {@code guard}.
     * Closing the connection (register it in the hardware scope) is the unbind.
     *
     * @throws IllegalStateException when a driver is already connected
     */
    public synchronized Connection connect(UnplugGuard guard) {
        if (connection != null) {
            throw new IllegalStateException("virtual repaper " + panel.configName() + " is already connected to a driver");
        }
        connection = new Connection(guard);
        return connection;
    }

    private synchronized void disconnect(Connection c) {
        if (connection != c) {
            return;
        }
        connection = null;
        if (isPowered()) {
            violation("left powered at unbind (panel-on " + (panelOn ? "high" : "low") + ", charge pumps 0x"
                    + Integer.toHexString(regs[0x05]) + ")");
        }
    }

    private synchronized void setLine(String line, boolean high, boolean unplugging) {
        switch (line) {
            case "panel-on":
                if (panelOn && !high) {
                    endSession(unplugging);
                    if (regs[0x05] != 0) {
                        violation("panel power cut with the charge pumps on (0x05 = 0x" + Integer.toHexString(regs[0x05]) + ")");
                    }
                    Arrays.fill(regs, 0);
                    register = -1;
                } else if (!panelOn && high) {
                    startSession();
                }
                panelOn = high;
                break;
            case "reset":
                reset = high;
                break;
            case "discharge":
                if (high && panelOn) {
                    violation("discharge while the panel is powered");
                }
                discharge = high;
                break;
            case "border":
                if (border && !high && panelOn) {
                    borderWhite = true; // the 2.7" border pulse at power off drives it white
                }
                border = high;
                break;
            default:
                throw new IllegalArgumentException(line);
        }
    }

    private synchronized boolean busy() {
        return busyStuck || !panelOn || !reset;
    }

    private void write(byte[] buf, int off, int len) {
        IntConsumer hook = null;
        int lines = 0;
        synchronized (this) {
            nanos += len * 8L * 1_000_000_000L / spiHz;
            if (len == 1 && buf[off] == 0) {
                return; // MOSI low between transfers
            }
            if (!panelOn) {
                violation("SPI write while the panel is unpowered (header 0x" + Integer.toHexString(buf[off] & 0xFF) + ")");
                return;
            }
            int header = buf[off] & 0xFF;
            if (header == 0x70) {
                if (len != 2) {
                    violation("register index transfer of " + len + " bytes");
                    return;
                }
                register = buf[off + 1] & 0xFF;
                return;
            }
            if (header != 0x72) {
                violation("unknown SPI header 0x" + Integer.toHexString(header));
                return;
            }
            if (register < 0) {
                violation("data without a register index");
                return;
            }
            byte[] data = Arrays.copyOfRange(buf, off + 1, off + len);
            if (data.length == 0) {
                violation("empty data transfer to register 0x" + Integer.toHexString(register));
                return;
            }
            if (writeRegister(register, data)) {
                hook = lineHook;
                lines = linesLatched;
            }
        }
        if (hook != null) {
            hook.accept(lines);
        }
    }

    /** Returns true when a line was latched. */
    private boolean writeRegister(int reg, byte[] data) {
        switch (reg) {
            case 0x01:
                if (!Arrays.equals(data, panel.channelSelect())) {
                    violation("channel select " + hex(data) + " is not the " + panel.configName() + "'s " + hex(panel.channelSelect()));
                }
                return false;
            case 0x0a:
                if (data.length != panel.lineBytes()) {
                    violation("line of " + data.length + " bytes, the " + panel.configName() + " takes " + panel.lineBytes());
                    lineData = null;
                } else {
                    lineData = data;
                }
                return false;
            case 0x02:
                regs[reg] = data[0] & 0xFF;
                if ((data[0] & 0xFF) == 0x07) {
                    if (lineData == null) {
                        violation("line latched without line data");
                        return false;
                    }
                    if (regs[0x05] != 0x0f) {
                        violation("line latched with the charge pumps off (0x05 = 0x" + Integer.toHexString(regs[0x05]) + ")");
                    }
                    latch(lineData);
                    return true;
                }
                return false;
            default:
                regs[reg] = data[data.length - 1] & 0xFF;
                return false;
        }
    }

    private synchronized int read(int header) {
        if (!panelOn) {
            violation("SPI read while the panel is unpowered");
            return 0;
        }
        if (header == 0x71) {
            return g2 ? G2_COG_ID : 0x00;
        }
        if (header == 0x73) {
            if (register == 0x0f) {
                return 0x80 | (regs[0x05] == 0x0f ? 0x40 : 0);
            }
            return regs[Math.max(0, register)];
        }
        violation("unknown SPI read header 0x" + Integer.toHexString(header));
        return 0;
    }

    // ------------------------------------------------------------------ decoding lines

    private void latch(byte[] d) {
        linesLatched++;
        int groups = w / 8, bps = panel.scanBytes();
        int[] codes = new int[w];
        int p = 0;
        if (panel.leadingZero()) {
            if (d[p] != 0) {
                violation("pre-border byte 0x" + Integer.toHexString(d[p] & 0xFF) + " instead of 0x00");
            }
            p++;
        }
        int line = -1;
        int selected = 0;
        if (panel.dataScanData()) {
            for (int g = groups - 1; g >= 0; g--) {
                int b = d[p++] & 0xFF;
                for (int j = 0; j < 4; j++) {
                    codes[8 * g + 2 * j] = b >> (2 * j) & 3;
                }
            }
            for (int k = bps - 1; k >= 0; k--) {
                int b = d[p++] & 0xFF;
                for (int j = 0; j < 4; j++) {
                    int pair = b >> (2 * j) & 3;
                    if (pair == 3) {
                        line = 4 * k + j;
                        selected++;
                    } else if (pair != 0) {
                        violation("half-set scan pair in scan byte " + k);
                    }
                }
            }
            for (int g = 0; g < groups; g++) {
                int b = d[p++] & 0xFF;
                for (int j = 0; j < 4; j++) {
                    codes[8 * g + 2 * j + 1] = b >> (6 - 2 * j) & 3;
                }
            }
        } else {
            for (int k = 0; k < bps; k++) {
                int b = d[p++] & 0xFF;
                for (int j = 0; j < 4; j++) {
                    int pair = b >> (6 - 2 * j) & 3; // 0xC0 >> (L & 6): pair j is line 8k + 2j + 1
                    if (pair == 3) {
                        line = 8 * k + 2 * j + 1;
                        selected++;
                    } else if (pair != 0) {
                        violation("half-set odd scan pair in scan byte " + k);
                    }
                }
            }
            for (int g = groups - 1; g >= 0; g--) {
                int hi = d[p++] & 0xFF, lo = d[p++] & 0xFF;
                for (int j = 0; j < 4; j++) {
                    codes[8 * g + 4 + j] = hi >> (2 * j) & 3;
                    codes[8 * g + j] = lo >> (2 * j) & 3;
                }
            }
            for (int k = bps - 1; k >= 0; k--) {
                int b = d[p++] & 0xFF;
                for (int j = 0; j < 4; j++) {
                    int pair = b >> (2 * j) & 3; // 0x03 << (L & 6): pair j is line 8k + 2j
                    if (pair == 3) {
                        line = 8 * k + 2 * j;
                        selected++;
                    } else if (pair != 0) {
                        violation("half-set even scan pair in scan byte " + k);
                    }
                }
            }
        }
        if (panel.borderByteDrives()) {
            int b = d[p] & 0xFF;
            if (b == 0xaa) {
                borderWhite = true;
            }
        }
        if (selected > 1) {
            violation("line selects " + selected + " scan lines");
            return;
        }
        if (selected == 0 || line >= h) {
            return; // a dummy line: drives nothing
        }
        if (line <= prevLine) {
            endFrame();
            frameStart = nanos;
        }
        prevLine = line;
        long hsh = frameHash * 31 + line;
        for (int x = 0; x < w; x++) {
            hsh = hsh * 31 + (codes[x] >= 2 ? codes[x] : 1);
        }
        frameHash = hsh;
        boolean all = true, any = false;
        for (int x = 0; x < w; x++) {
            int c = codes[x];
            int i = line * w + x;
            if (c == 3 || c == 2) {
                any = true;
                byte drive = (byte) (c == 3 ? 1 : 2);
                black[i] = c == 3;
                if (lastDrive[i] != drive) {
                    lastDrive[i] = drive;
                    if (runs[i] < 2) {
                        runs[i]++;
                    }
                }
            } else {
                all = false;
            }
        }
        frameAllDriven &= all;
        frameAnyDriven |= any;
    }

    private void endFrame() {
        if (frameAnyDriven) {
            frames++;
            sessionDriven = true;
            lastDrivingFrameAllDriven = frameAllDriven;
        }
        if (prevLine != Integer.MAX_VALUE) { // a frame was under way
            if (passFrames > 0 && frameHash == passHash) {
                passFrames++;
            } else {
                endPass(frameStart);
                passHash = frameHash;
                passStart = frameStart;
                passFrames = 1;
                passDrives = frameAnyDriven;
            }
        }
        frameHash = 1;
        frameAllDriven = true;
        frameAnyDriven = false;
    }

    /** Closes the current pass of identical frames at {@code end}; under-driven passes are violations. */
    private void endPass(long end) {
        if (passFrames == 0 || !passDrives) {
            passFrames = 0;
            return;
        }
        int celsius = ambient.getAsInt();
        long needMs = panel.stageTimeMs(celsius);
        long tookMs = (end - passStart) / 1_000_000;
        if (tookMs < needMs) {
            violation("under-driven stage: " + passFrames + " identical frame(s) for " + tookMs + " ms, the " + panel.configName()
                    + " needs " + needMs + " ms at " + celsius + " °C (a faint image)");
        }
        passFrames = 0;
    }

    private void startSession() {
        Arrays.fill(runs, (byte) 0);
        Arrays.fill(lastDrive, (byte) 0);
        sessionDriven = false;
        frameAllDriven = true;
        frameAnyDriven = false;
        lastDrivingFrameAllDriven = false;
        prevLine = Integer.MAX_VALUE;
        frames = 0;
        frameHash = 1;
        passFrames = 0;
    }

    private void endSession(boolean unplugging) {
        endFrame();
        if (!unplugging) {
            endPass(nanos);
        }
        passFrames = 0;
        if (!sessionDriven) {
            events.add("power session without drives");
            return;
        }
        if (unplugging) {
            // the driver stopped at a stage boundary because the device is being unplugged
            incompleteUpdates++;
            events.add("update aborted by unplug after " + frames + " frames");
            return;
        }
        int never = 0, oneWay = 0, first = -1;
        for (int i = 0; i < runs.length; i++) {
            if (runs[i] == 0) {
                never++;
            } else if (runs[i] == 1) {
                oneWay++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (lastDrivingFrameAllDriven) {
            if (oneWay > 0) {
                violation("ghosting: a full update drove " + oneWay + " pixels only one way (first at " + (first % w) + ","
                        + (first / w) + ", only driven " + (black[first] ? "black" : "white")
                        + ") — a compensate, white or inverse stage is missing");
            }
            fullUpdates++;
            fullUpdateSeen = true;
            events.add("full update, " + frames + " frames");
        } else if (never > 0) {
            if (!g2) {
                violation("partial update on a COG G1, which cannot do them (" + (runs.length - never) + " pixels driven)");
            } else if (!fullUpdateSeen) {
                violation("partial update before any full update: the panel's image was unknown");
            }
            partialUpdates++;
            events.add("partial update, " + frames + " frames, " + (runs.length - never) + " pixels driven");
        } else {
            incompleteUpdates++;
            events.add("incomplete update (stopped before a full final frame), " + frames + " frames");
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ the ports

    /**
     * One driver's connection: the SPI port and lines, every call inside the driver's guard.
     * Lifetime: the hardware binding; {@link #close()} is the unbind. Threads: the driver's.
     */
    public final class Connection extends GuardedConnection {
        private Connection(UnplugGuard guard) {
            super(guard, "virtual repaper");
        }

        @Override
        protected void recordViolation(String message) {
            synchronized (VirtualRepaper.this) {
                violation(message);
            }
        }

        @Override
        protected void detach() {
            disconnect(this);
        }

        public SpiPort spi() {
            return new SpiPort() {
                @Override
                public void write(byte[] buf, int off, int len) throws IOException {
                    guarded("SPI write", () -> {
                        VirtualRepaper.this.write(buf, off, len);
                        return null;
                    });
                }

                @Override
                public void transfer(byte[] tx, byte[] rx, int len) throws IOException {
                    guarded("SPI transfer", () -> {
                        advance(len * 8L * 1_000_000_000L / spiHz);
                        Arrays.fill(rx, 0, len, (byte) 0);
                        if (len >= 2) {
                            rx[1] = (byte) read(tx[0] & 0xFF);
                        }
                        return null;
                    });
                }

                @Override
                public int maxTransfer() {
                    return 4096;
                }

                @Override
                public int speedHz() {
                    return spiHz;
                }

                @Override
                public String describe() {
                    return "virtual repaper spi";
                }
            };
        }

        private GpioOutput line(String name) {
            return new GpioOutput() {
                @Override
                public void set(boolean high) throws IOException {
                    guarded("gpio " + name, () -> {
                        setLine(name, high, guard().isUnplugged());
                        return null;
                    });
                }

                @Override
                public String describe() {
                    return "virtual repaper " + name;
                }
            };
        }

        public GpioOutput panelOn() { return line("panel-on"); }
        public GpioOutput reset() { return line("reset"); }
        public GpioOutput discharge() { return line("discharge"); }
        public GpioOutput border() { return line("border"); }

        public GpioInput busy() {
            return new GpioInput() {
                @Override
                public boolean isHigh() throws IOException {
                    return guarded("busy read", () -> VirtualRepaper.this.busy());
                }

                @Override
                public String describe() {
                    return "virtual repaper busy";
                }
            };
        }

    }
}
