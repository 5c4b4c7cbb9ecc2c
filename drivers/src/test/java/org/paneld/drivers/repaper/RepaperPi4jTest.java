package org.paneld.drivers.repaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.spi.MockPi4jWire;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;

/**
 * backend = "spi": the repaper through Pi4J's mock plugin — the COG framing as it leaves Pi4J,
 * the COG id check, and the Pi4J objects gone with the hardware scope. A fake COG answers reads.
 */
class RepaperPi4jTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new RepaperDriver());

    private final List<String> transactions = new ArrayList<>();
    private volatile int cogId = 0x12;
    private final MockPi4jWire wire = new MockPi4jWire(new MockPi4jWire.Target() {
        @Override
        public synchronized void write(boolean dcHigh, byte[] bytes) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(bytes.length, 3); i++) {
                sb.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xFF));
            }
            transactions.add(sb.toString());
        }

        @Override
        public void writeOption1(byte[] packed) {
        }

        @Override
        public void reset(boolean high) {
        }

        @Override
        public void backlight(int percent) {
        }

        @Override
        public synchronized byte[] read(int cmd, int len) {
            transactions.add(String.format("read %02x", cmd));
            return new byte[] {(byte) (cmd == 0x71 ? cogId : 0xC0)}; // id; 0x0f: panel fine, DC/DC up
        }
    });

    @AfterEach
    void shutdown() {
        wire.shutdown();
    }

    /** A fast clock: every look at it moves it 100 ms (a few frames per stage), waits move it by their length. */
    private static RepaperClock fastClock() {
        AtomicLong t = new AtomicLong();
        return new RepaperClock() {
            @Override
            public long nanoTime() {
                return t.addAndGet(100_000_000);
            }

            @Override
            public Sleeper sleeper() {
                return micros -> t.addAndGet(micros * 1000);
            }
        };
    }

    private Binding bind() throws Exception {
        BusDevice bd = new BusDevice("epd", "repaper", DeviceConfig.of("test", "panel", "e1144cs021", "panel_on_gpio", 17,
                "discharge_gpio", 27, "reset_gpio", 22, "busy_gpio", 23, "dither", "threshold"));
        bd.attach(Context.class, wire.context());
        bd.attach(RepaperClock.class, fastClock());
        kit.add(bd);
        return kit.bind("epd");
    }

    @Test
    void aRefreshGoesThroughPi4jWithTheCogFraming() throws Exception {
        Binding b = bind();
        Framebuffer fb = org.paneld.drivers.repaper.TestImages.picture(128, 96, PixelFormat.XRGB8888, 1);
        b.device().flush(fb, fb.bounds());
        RepaperDisplay d = (RepaperDisplay) b.device().display();
        d.awaitIdle();
        assertEquals(1, d.counters()[0], "one refresh");
        List<String> t;
        synchronized (this) {
            t = new ArrayList<>(transactions);
        }
        // power on: MOSI low, two id reads, output enable off, the 0x0f status read, channel select
        int i = t.indexOf("read 71");
        assertTrue(i > 0 && t.get(i - 1).equals("00"), t.subList(0, Math.min(12, t.size())).toString());
        assertEquals(List.of("read 71", "read 71", "70 02", "72 40", "70 0f", "read 73", "70 0b", "72 02", "70 01", "72 00 00"),
                t.subList(i, i + 10));
        long lines = t.stream().filter(s -> s.equals("70 0a")).count();
        assertTrue(lines >= 8 * 96, "at least one frame per stage of the clearing update: " + lines + " lines");
        assertTrue(wire.calls().stream().anyMatch(c -> c.contains("panel-on") || c.contains("HIGH")), wire.calls().toString());
        b.unbind();
        assertFalse(wire.context().registry().exists("paneld.epd.spi"));
        assertFalse(wire.context().registry().exists("paneld.epd.busy"));
    }

    @Test
    void aWrongCogIdFailsTheRefreshAndPowersOff() throws Exception {
        cogId = 0x11;
        Binding b = bind();
        Framebuffer fb = Framebuffer.allocate(128, 96, PixelFormat.XRGB8888);
        b.device().flush(fb, fb.bounds());
        RepaperDisplay d = (RepaperDisplay) b.device().display();
        d.awaitIdle();
        assertEquals(1, d.counters()[3], "one failed refresh");
        synchronized (this) {
            assertEquals(0, transactions.stream().filter(s -> s.equals("70 0a")).count(), "no line was sent");
        }
    }
}
