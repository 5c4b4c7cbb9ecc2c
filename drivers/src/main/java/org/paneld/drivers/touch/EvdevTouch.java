package org.paneld.drivers.touch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;

/**
 * A kernel touch driver's events ({@code /dev/input/eventN}, by path or by the device's name in
 * /sys/class/input/event*&#47;device/name): {@code struct input_event} read from the file (a
 * timeval of two longs — 16 bytes on a 64-bit JVM, 8 on a 32-bit one — then u16 type, u16 code,
 * s32 value, native byte order). Single-touch (ABS_X, ABS_Y, ABS_PRESSURE, BTN_TOUCH) and
 * multi-touch type B (ABS_MT_SLOT, ABS_MT_TRACKING_ID, ABS_MT_POSITION_X/Y, ABS_MT_PRESSURE),
 * slots 0 and 1; SYN_REPORT ends a packet. The kernel driver filtered and debounced already.
 * A FIFO is opened read-write (so opening does not wait for a writer: tests feed one). Lifetime:
 * the hardware binding (the file is closed with it). Threads: the sampling thread; {@link #wake}
 * from the releasing thread.
 */
final class EvdevTouch implements TouchChip {
    static final int EV_SYN = 0, EV_KEY = 1, EV_ABS = 3, SYN_REPORT = 0, BTN_TOUCH = 0x14A;
    static final int ABS_X = 0x00, ABS_Y = 0x01, ABS_PRESSURE = 0x18, ABS_MT_SLOT = 0x2F, ABS_MT_POSITION_X = 0x35,
            ABS_MT_POSITION_Y = 0x36, ABS_MT_TRACKING_ID = 0x39, ABS_MT_PRESSURE = 0x3A;
    static final int SLOTS = 2;

    private final Path path;
    private final FileChannel channel;
    private final int timeBytes;
    private final ByteBuffer event;
    // pending state, updated by events; published at SYN_REPORT
    private int stX, stY, stPressure = -1;
    private boolean stTouch;
    private boolean mt;
    private int slot;
    private final int[] mtX = new int[SLOTS], mtY = new int[SLOTS], mtP = new int[SLOTS];
    private final boolean[] mtActive = new boolean[SLOTS];
    // the last complete packet
    private final int[] pubX = new int[SLOTS], pubY = new int[SLOTS], pubP = new int[SLOTS];
    private final boolean[] pubActive = new boolean[SLOTS];

    private EvdevTouch(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
        this.timeBytes = "32".equals(System.getProperty("sun.arch.data.model")) ? 8 : 16;
        this.event = ByteBuffer.allocate(timeBytes + 8).order(ByteOrder.nativeOrder());
    }

    /** Opens the device {@code spec} names: a path (starting with "/"), else a device name. */
    static EvdevTouch open(String spec, Path sysClassInput) throws IOException {
        Path p = spec.startsWith("/") ? Path.of(spec) : byName(spec, sysClassInput);
        if (!Files.exists(p)) {
            throw new DeviceException(Errno.ENODEV, "touch.evdev: " + p + " does not exist");
        }
        boolean fifo;
        try {
            fifo = ((Integer) Files.getAttribute(p, "unix:mode") & 0xF000) == 0x1000;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            fifo = false;
        }
        try {
            FileChannel ch = fifo ? FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(p, StandardOpenOption.READ);
            return new EvdevTouch(p, ch);
        } catch (IOException e) {
            throw new DeviceException(Errno.EIO, "touch.evdev: cannot open " + p + ": " + e
                    + " (is the daemon's user in group 'input'?)", e);
        }
    }

    /** /dev/input/eventN of the input device called {@code name}. */
    static Path byName(String name, Path sysClassInput) throws IOException {
        List<String> seen = new ArrayList<>();
        if (Files.isDirectory(sysClassInput)) {
            try (var dirs = Files.list(sysClassInput)) {
                for (Path d : (Iterable<Path>) dirs.sorted()::iterator) {
                    String ev = d.getFileName().toString();
                    Path nameFile = d.resolve("device").resolve("name");
                    if (!ev.startsWith("event") || !Files.isReadable(nameFile)) {
                        continue;
                    }
                    String n = Files.readString(nameFile).trim();
                    seen.add(ev + " \"" + n + "\"");
                    if (n.equals(name)) {
                        return Path.of("/dev/input", ev);
                    }
                }
            }
        }
        throw new DeviceException(Errno.ENODEV, "touch.evdev: no input device called \"" + name + "\" in " + sysClassInput
                + (seen.isEmpty() ? " (none there)" : " (there are: " + String.join(", ", seen) + ")"));
    }

    Path path() {
        return path;
    }

    void close() throws IOException {
        channel.close();
    }

    @Override
    public String name() {
        return "evdev";
    }

    @Override
    public int maxContacts() {
        return SLOTS;
    }

    @Override
    public int rawMax() {
        return 4095;
    }

    /** Reads events up to the next SYN_REPORT (blocking); false at the end of a plain file. */
    @Override
    public boolean await(boolean touched) throws IOException, InterruptedException {
        while (true) {
            event.clear();
            while (event.hasRemaining()) {
                if (channel.read(event) < 0) {
                    Thread.sleep(10); // a plain file at its end: nothing more yet
                    return false;
                }
            }
            int type = event.getShort(timeBytes) & 0xFFFF;
            int code = event.getShort(timeBytes + 2) & 0xFFFF;
            int value = event.getInt(timeBytes + 4);
            if (type == EV_SYN && code == SYN_REPORT) {
                publish();
                return true;
            }
            if (type == EV_KEY && code == BTN_TOUCH) {
                stTouch = value != 0;
            } else if (type == EV_ABS) {
                abs(code, value);
            }
        }
    }

    private void abs(int code, int value) {
        switch (code) {
            case ABS_X: stX = value; break;
            case ABS_Y: stY = value; break;
            case ABS_PRESSURE: stPressure = value; break;
            case ABS_MT_SLOT: mt = true; slot = value; break;
            case ABS_MT_TRACKING_ID:
                mt = true;
                if (slot >= 0 && slot < SLOTS) {
                    mtActive[slot] = value >= 0;
                }
                break;
            case ABS_MT_POSITION_X: mt = true; if (slot >= 0 && slot < SLOTS) { mtX[slot] = value; } break;
            case ABS_MT_POSITION_Y: mt = true; if (slot >= 0 && slot < SLOTS) { mtY[slot] = value; } break;
            case ABS_MT_PRESSURE: if (slot >= 0 && slot < SLOTS) { mtP[slot] = value; } break;
            default: break;
        }
    }

    private synchronized void publish() {
        if (mt) {
            for (int s = 0; s < SLOTS; s++) {
                pubActive[s] = mtActive[s];
                pubX[s] = mtX[s];
                pubY[s] = mtY[s];
                pubP[s] = mtP[s];
            }
        } else {
            pubActive[0] = stTouch && stPressure != 0;
            pubX[0] = stX;
            pubY[0] = stY;
            pubP[0] = stPressure;
            pubActive[1] = false;
        }
    }

    @Override
    public synchronized int read(Contact[] out) {
        int n = 0;
        for (int s = 0; s < SLOTS; s++) {
            if (pubActive[s]) {
                int p = pubP[s] <= 0 ? 255 : Math.min(255, pubP[s]);
                out[n++].set(s, pubX[s], pubY[s], p);
            }
        }
        return n;
    }

    @Override
    public void wake() {
        try {
            channel.close(); // a read blocked in the channel returns (AsynchronousCloseException)
        } catch (IOException e) {
            // closing is all we wanted
        }
    }
}
