package org.paneld.drivers.touch;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.display.TouchEvent;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.mipidbi.MipiDbiDrivers;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;

/**
 * The evdev source: a kernel touch driver's {@code struct input_event}s, written by the test into
 * a FIFO the way the kernel's ads7846 driver reports (ABS_X, ABS_Y, ABS_PRESSURE, BTN_TOUCH,
 * SYN_REPORT; multi-touch type B for two slots), calibrated from three points, then tap and
 * swipe at every rotation; found by name through /sys/class/input; stopped at unbind.
 */
class EvdevTouchTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(MipiDbiDrivers.all().toArray(new Driver[0]));

    @TempDir
    Path dir;

    static final int EV_SYN = 0, EV_KEY = 1, EV_ABS = 3;

    /** The test's side of the FIFO: input_event structs as a 64-bit (or 32-bit) kernel writes them. */
    static final class Kernel implements AutoCloseable {
        final FileChannel out;
        final int timeBytes = "32".equals(System.getProperty("sun.arch.data.model")) ? 8 : 16;
        boolean touching;

        Kernel(Path fifo) throws IOException {
            out = FileChannel.open(fifo, StandardOpenOption.WRITE);
        }

        void event(int type, int code, int value) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(timeBytes + 8).order(ByteOrder.nativeOrder());
            long us = System.nanoTime() / 1000;
            if (timeBytes == 16) {
                b.putLong(us / 1_000_000).putLong(us % 1_000_000);
            } else {
                b.putInt((int) (us / 1_000_000)).putInt((int) (us % 1_000_000));
            }
            b.putShort((short) type).putShort((short) code).putInt(value).flip();
            while (b.hasRemaining()) {
                out.write(b);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private Path fifo() throws Exception {
        Path f = dir.resolve("event7");
        Process p = new ProcessBuilder("mkfifo", f.toString()).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        return f;
    }

    /** The touch panel's raw axes (ads7846 on a 320x240 glass): x along the glass 3900..180, y 330..3770. */
    static int rawX(int u) {
        return 3900 - u * 3720 / 319;
    }

    static int rawY(int v) {
        return 330 + v * 3440 / 239;
    }

    @ParameterizedTest(name = "rotation {0}")
    @ValueSource(ints = {0, 90, 180, 270})
    void tapAndSwipeFromKernelEvents(int rotation) throws Exception {
        Path fifo = fifo();
        kit.addVirtual("lcd0", "mi0283qt", "rotation", rotation, "touch.driver", "evdev", "touch.evdev", fifo.toString())
                .attach(Sleeper.class, us -> { });
        kit.bind("lcd0");
        TouchInput input = kit.device("lcd0").display().touch().orElseThrow();
        assertEquals("evdev", input.driver());
        TouchTransform t = ((TouchController) input).transform();
        java.util.Random noise = new java.util.Random(rotation);
        try (Kernel k = new Kernel(fifo)) {
            TouchRig rig = new TouchRig(input, new TouchRig.Finger() {
                @Override
                public void press(int x, int y) throws Exception {
                    // the glass under display (x, y): turn the picture back to rotation 0 (DRM's convention)
                    int[] uv = t.fromDisplay(x, y);
                    k.event(EV_ABS, 0x00, rawX(uv[0]) + noise.nextInt(5) - 2);
                    k.event(EV_ABS, 0x01, rawY(uv[1]) + noise.nextInt(5) - 2);
                    k.event(EV_ABS, 0x18, 180);
                    if (!k.touching) {
                        k.event(EV_KEY, 0x14A, 1);
                        k.touching = true;
                    }
                    k.event(EV_SYN, 0, 0);
                }

                @Override
                public void lift() throws Exception {
                    k.event(EV_ABS, 0x18, 0);
                    k.event(EV_KEY, 0x14A, 0);
                    k.touching = false;
                    k.event(EV_SYN, 0, 0);
                }
            });
            int w = kit.device("lcd0").info().width(), h = kit.device("lcd0").info().height();
            rig.calibrate(new int[][] {{w / 10, h / 10}, {w - 1 - w / 10, h / 2}, {w / 2, h - 1 - h / 10}});
            rig.tap(w / 2, h / 3);
            rig.tap(0, h - 1);
            rig.swipe(10, 10, w - 11, h - 11, 7);
        }
        kit.bus().unbind("lcd0");
        assertFalse(((TouchController) input).isSampling(), "the reader stopped at unbind");
    }

    @Test
    void multiTouchSlotsBecomeContacts() throws Exception {
        Path fifo = fifo();
        kit.addVirtual("lcd0", "mi0283qt", "touch.driver", "evdev", "touch.evdev", fifo.toString(),
                "touch.calibration", java.util.List.of(1, 0, 0, 0, 1, 0, 1)).attach(Sleeper.class, us -> { });
        kit.bind("lcd0");
        TouchInput input = kit.device("lcd0").display().touch().orElseThrow();
        TouchRig rig = new TouchRig(input, null);
        try (Kernel k = new Kernel(fifo)) {
            k.event(EV_ABS, 0x2F, 0);
            k.event(EV_ABS, 0x39, 17);
            k.event(EV_ABS, 0x35, 30);
            k.event(EV_ABS, 0x36, 40);
            k.event(EV_ABS, 0x2F, 1);
            k.event(EV_ABS, 0x39, 18);
            k.event(EV_ABS, 0x35, 200);
            k.event(EV_ABS, 0x36, 100);
            k.event(EV_SYN, 0, 0);
            TouchEvent a = rig.next("slot 0"), b = rig.next("slot 1");
            assertEquals(TouchEvent.Kind.DOWN, a.kind());
            assertEquals(0, a.slot());
            assertEquals(30, a.x());
            assertEquals(40, a.y());
            assertEquals(1, b.slot());
            assertEquals(200, b.x());
            k.event(EV_ABS, 0x2F, 0);
            k.event(EV_ABS, 0x39, -1);
            k.event(EV_SYN, 0, 0);
            TouchEvent up = rig.next("slot 0 up");
            assertEquals(TouchEvent.Kind.UP, up.kind());
            assertEquals(0, up.slot());
        }
    }

    @Test
    void aDeviceIsFoundByNameAndAMissingOneIsNamed() throws Exception {
        Path sys = dir.resolve("sys");
        Files.createDirectories(sys.resolve("event2/device"));
        Files.writeString(sys.resolve("event2/device/name"), "gpio-keys\n");
        Files.createDirectories(sys.resolve("event3/device"));
        Files.writeString(sys.resolve("event3/device/name"), "ADS7846 Touchscreen\n");
        assertEquals(Path.of("/dev/input/event3"), EvdevTouch.byName("ADS7846 Touchscreen", sys));
        DeviceException e = assertThrows(DeviceException.class, () -> EvdevTouch.byName("stmpe-ts", sys));
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(e.getMessage().contains("\"stmpe-ts\"") && e.getMessage().contains("ADS7846 Touchscreen"), e.getMessage());
        DeviceException missing = assertThrows(DeviceException.class,
                () -> EvdevTouch.open(dir.resolve("nothing").toString(), sys));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }
}
