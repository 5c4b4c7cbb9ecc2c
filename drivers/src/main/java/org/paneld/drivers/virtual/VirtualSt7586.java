package org.paneld.drivers.virtual;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.spi.SpiPort;

/**
 * A virtual Sitronix ST7586 (the LEGO EV3's 178x128 grey LCD) on a MIPI DBI type C option 3
 * wire: it decodes the bytes and the D/C (A0) level the driver sends — commands, their
 * parameters, CASET (in column <em>bytes</em>, each 3 pixels) / RASET windows with wrap-around,
 * RAMWR data packed 3 pixels per byte (3 + 3 + 2 bits) — into its display RAM (128 column bytes
 * x 160 rows) and shows the 178x128 visible part as grey levels (black, 0x555555, 0xAAAAAA,
 * white), in the client's orientation. It knows the commands of the kernel's st7586.c init and
 * reports protocol slips as violations: unknown commands, pixel data outside RAMWR, RAMWR while
 * asleep, windows outside the RAM, an address mode with MX/MY (this model shows only the
 * unmirrored layout). Off (DISPOFF, sleep, never initialised) it shows black.
 *
 * <p>Written from the ST7586S datasheet and the kernel's st7586.c, sharing nothing with the
 * driver: the 4-level grey mode keeps 3 pixels per column byte, D7-D5, D4-D2 and D1-D0, and the
 * top two bits of each field give the grey (11 black, 10 dark, 01 light, 00 white; the kernel's
 * table writes 7, 4, 2, 0 and the third pixel's field is that code shifted right once). The
 * person looking at it sees the glass turned as {@code rotation} says (the panel mounted that
 * many degrees counter-clockwise, as the device-tree "rotation" property means). The driver
 * reaches it through {@link #wiring()} as a {@link DbiWiring}.
 *
 * <p>Lifetime: the bus device (outlives bindings). Threads: any (synchronised).
 */
public final class VirtualSt7586 implements VirtualHardware {
    public static final int RAM_COLS = 128, RAM_ROWS = 160;
    /** The EV3's glass: the first 178 segments (59 whole column bytes and 1 pixel) of the first 128 rows. */
    public static final int GLASS_WIDTH = 178, GLASS_HEIGHT = 128;
    /** What a person sees for each 2-bit field value (the top two bits of a pixel's field): 00 white … 11 black. */
    private static final int[] SHADE_OF_FIELD = {0xFFFFFF, 0xAAAAAA, 0x555555, 0x000000};
    private static final java.util.Set<Integer> KNOWN = java.util.Set.of(0x00, 0x01, 0x10, 0x11, 0x20, 0x21, 0x28, 0x29,
            0x2a, 0x2b, 0x2c, 0x30, 0x36, 0x38, 0x39, 0x3a, 0xb0, 0xb4, 0xb5, 0xc0, 0xc3, 0xc4, 0xc7, 0xd0, 0xd7, 0xe0,
            0xe1, 0xe3);

    private final int rotation;
    private final byte[] ram = new byte[RAM_COLS * RAM_ROWS];
    private final List<String> violations = BoundedLog.first(1024); // bounded: issue 10
    private boolean dc;
    private boolean resetLow;
    private int cmd = -1;
    private final byte[] params = new byte[16];
    private int nparams;
    private boolean asleep = true, displayOn, grey, ddram;
    private int madctl;
    private int c0, c1 = RAM_COLS - 1, r0, r1 = RAM_ROWS - 1, col, row;
    private long ramBytes, commands;
    private Connection connection;
    private final List<StringBuilder> log = new ArrayList<>();

    /** @param rotation how the client sees the panel (0, 90, 180, 270), for {@link #snapshot()} */
    public VirtualSt7586(int rotation) {
        this.rotation = rotation;
    }

    @Override
    public synchronized RgbImage snapshot() {
        int w = GLASS_WIDTH, h = GLASS_HEIGHT;
        boolean swap = rotation == 90 || rotation == 270;
        RgbImage img = RgbImage.blank(swap ? h : w, swap ? w : h);
        if (!displayOn || asleep) {
            return img;
        }
        for (int vy = 0; vy < img.height(); vy++) {
            for (int vx = 0; vx < img.width(); vx++) {
                // the glass turned counter-clockwise by rotation: what sits at the viewer's (vx, vy)
                int gx, gy;
                switch (rotation) {
                    case 90: gx = w - 1 - vy; gy = vx; break;
                    case 180: gx = w - 1 - vx; gy = h - 1 - vy; break;
                    case 270: gx = vy; gy = h - 1 - vx; break;
                    default: gx = vx; gy = vy;
                }
                img.set(vx, vy, SHADE_OF_FIELD[field(gx, gy)]);
            }
        }
        return img;
    }

    /** The 2-bit level the controller shows at glass pixel {@code x, y}: 0 black, 1 dark grey, 2 light grey, 3 white. */
    public synchronized int levelAt(int x, int y) {
        return 3 - field(x, y);
    }

    /** The top two bits of the pixel's field in its column byte: D7 D6, D4 D3, or D1 D0. */
    private int field(int x, int y) {
        int b = ram[y * RAM_COLS + x / 3] & 0xFF;
        switch (x % 3) {
            case 0: return b >> 6 & 3;
            case 1: return b >> 3 & 3;
            default: return b & 3;
        }
    }

    @Override
    public synchronized String describe() {
        return "st7586 " + GLASS_WIDTH + "x" + GLASS_HEIGHT + " " + (displayOn && !asleep ? "on" : "off") + ", " + commands + " commands, " + ramBytes
                + " RAM bytes, " + violations.size() + " violations";
    }

    public synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }

    public synchronized boolean isOn() {
        return displayOn && !asleep;
    }

    public synchronized long ramBytesWritten() {
        return ramBytes;
    }

    public synchronized int addressMode() {
        return madctl;
    }

    /** The last CASET/RASET window: {column byte start, end, row start, end}. */
    public synchronized int[] window() {
        return new int[] {c0, c1, r0, r1};
    }

    /** Waits cost nothing on the virtual panel. */
    public Sleeper sleeper() {
        return micros -> { };
    }

    /**
     * The wires a driver opens at probe: SPI, A0 (D/C) and reset, through a {@link Connection}
     * registered in the device's hardware scope (closing it is the unbind); waits cost nothing.
     */
    public DbiWiring wiring() {
        return new DbiWiring() {
            @Override
            public Lines open(Device device, int maxTransfer, boolean option1) throws Exception {
                if (option1) {
                    throw new DeviceException(Errno.EINVAL, device.name() + ": the EV3's ST7586 is wired for option 3 (A0 line)");
                }
                Connection conn = connect(device.guard());
                device.hardware().addOrReset("disconnect from the virtual st7586", conn::close);
                return new Lines(conn.spi(), conn.dc(), conn.reset(), null);
            }

            @Override
            public Sleeper sleeper(Sleeper inner) {
                return VirtualSt7586.this.sleeper();
            }
        };
    }

    private void violation(String s) {
        violations.add(s);
    }

    private synchronized void setReset(boolean high) {
        if (!high) {
            resetLow = true;
        } else if (resetLow) {
            resetLow = false;
            reset();
        }
    }

    private void reset() {
        asleep = true;
        displayOn = false;
        madctl = 0;
        c0 = 0; c1 = RAM_COLS - 1; r0 = 0; r1 = RAM_ROWS - 1;
        cmd = -1;
    }

    private synchronized void write(byte[] b, int off, int len) {
        if (resetLow) {
            violation("SPI write while reset is held low");
            return;
        }
        for (int i = off; i < off + len; i++) {
            int v = b[i] & 0xFF;
            if (!dc) {
                command(v);
            } else {
                data(v);
            }
        }
    }

    private void command(int v) {
        commands++;
        if (log.size() < 10_000) {
            log.add(new StringBuilder(String.format("%02x", v)));
        }
        cmd = v;
        nparams = 0;
        if (!KNOWN.contains(v)) {
            violation("unknown command 0x" + Integer.toHexString(v));
            return;
        }
        switch (v) {
            case 0x01: reset(); cmd = 0x01; break;
            case 0x10: asleep = true; break;
            case 0x11: asleep = false; break;
            case 0x28: displayOn = false; break;
            case 0x29: displayOn = true; break;
            case 0x38: grey = true; break;
            case 0x39: grey = false; break;
            case 0x2c:
                if (asleep) {
                    violation("RAMWR while asleep");
                }
                col = c0;
                row = r0;
                break;
            default: break;
        }
    }

    private void data(int v) {
        if (cmd < 0) {
            violation("data byte 0x" + Integer.toHexString(v) + " before any command");
            return;
        }
        if (cmd == 0x2c) {
            ram[row * RAM_COLS + col] = (byte) v;
            ramBytes++;
            if (++col > c1) {
                col = c0;
                if (++row > r1) {
                    row = r0;
                }
            }
            return;
        }
        if (nparams < params.length) {
            params[nparams] = (byte) v;
        }
        if (!log.isEmpty() && log.size() < 10_000) {
            log.get(log.size() - 1).append(String.format(" %02x", v));
        }
        nparams++;
        switch (cmd) {
            case 0x2a:
            case 0x2b:
                if (nparams == 4) {
                    int a = (params[0] & 0xFF) << 8 | params[1] & 0xFF, e = (params[2] & 0xFF) << 8 | params[3] & 0xFF;
                    int max = cmd == 0x2a ? RAM_COLS - 1 : RAM_ROWS - 1;
                    if (a > e || e > max) {
                        violation((cmd == 0x2a ? "CASET " : "RASET ") + a + ".." + e + " outside 0.." + max);
                        return;
                    }
                    if (cmd == 0x2a) { c0 = a; c1 = e; } else { r0 = a; r1 = e; }
                }
                break;
            case 0x36:
                madctl = v;
                if ((v & 0xC0) != 0) {
                    violation("address mode 0x" + Integer.toHexString(v) + " (MX/MY) is not modelled");
                }
                break;
            case 0x3a:
                ddram = v == 0x02;
                if (!ddram) {
                    violation("ENABLE_DDRAM 0x" + Integer.toHexString(v) + ": the driver's packing needs 0x02");
                }
                break;
            default:
                break;
        }
    }

    /** The commands received with their parameters (RAMWR data left out), e.g. "c0 e3 00"; cleared by {@link #clearLog()}. */
    public synchronized List<String> commandLog() {
        List<String> out = new ArrayList<>();
        for (StringBuilder sb : log) {
            out.add(sb.toString());
        }
        return out;
    }

    public synchronized void clearLog() {
        log.clear();
    }

    /** Whether the init put the controller in 4-level grey mode with DDRAM enabled. */
    public synchronized boolean greyMode() {
        return grey && ddram;
    }

    /**
     * Connects a driver (at probe): SPI port, D/C (A0) and reset lines, every call inside
     * {@code guard}. Closing the connection is the unbind.
     */
    public synchronized Connection connect(UnplugGuard guard) {
        if (connection != null) {
            throw new IllegalStateException("virtual st7586 is already connected to a driver");
        }
        connection = new Connection(guard);
        return connection;
    }

    private synchronized void disconnect(Connection c) {
        if (connection == c) {
            connection = null;
        }
    }

    public synchronized boolean isConnected() {
        return connection != null;
    }

    /** One driver's connection. Lifetime: the hardware binding. Threads: the driver's. */
    public final class Connection extends GuardedConnection {
        private Connection(UnplugGuard guard) {
            super(guard, "virtual st7586");
        }

        @Override
        protected void recordViolation(String message) {
            synchronized (VirtualSt7586.this) {
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
                        VirtualSt7586.this.write(buf, off, len);
                        return null;
                    });
                }

                @Override
                public void transfer(byte[] tx, byte[] rx, int len) throws IOException {
                    throw new DeviceException(Errno.EOPNOTSUPP, "the st7586 cannot be read over SPI");
                }

                @Override
                public int maxTransfer() {
                    return 4096;
                }

                @Override
                public int speedHz() {
                    return 10_000_000;
                }

                @Override
                public boolean canRead() {
                    return false;
                }

                @Override
                public String describe() {
                    return "virtual st7586 spi";
                }
            };
        }

        private GpioOutput line(String name, boolean isDc) {
            return new GpioOutput() {
                @Override
                public void set(boolean high) throws IOException {
                    guarded("gpio " + name, () -> {
                        synchronized (VirtualSt7586.this) {
                            if (isDc) {
                                dc = high;
                            } else {
                                setReset(high);
                            }
                        }
                        return null;
                    });
                }

                @Override
                public String describe() {
                    return "virtual st7586 " + name;
                }
            };
        }

        public GpioOutput dc() { return line("a0", true); }
        public GpioOutput reset() { return line("reset", false); }

    }
}
