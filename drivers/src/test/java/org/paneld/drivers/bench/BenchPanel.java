package org.paneld.drivers.bench;

import java.nio.ByteBuffer;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.mipidbi.Mi0283qtDriver;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.Sleeper;

/** A bound mi0283qt on bench wires, and a full-frame XRGB8888 test picture and its inverse. Test scope. */
final class BenchPanel implements AutoCloseable {
    final Bus bus = new Bus("bench", new LifecycleTracker());
    final Binding binding;
    final Framebuffer frame;
    final Rect full;
    final Framebuffer inverse;
    private long flushes;

    BenchPanel(DbiWiring wiring) throws Exception {
        this(wiring, 4096);
    }

    /** @param maxTransfer spi_max_transfer (what spidev's bufsiz gives by default: 4096, or 65536 when raised) */
    BenchPanel(DbiWiring wiring, int maxTransfer) throws Exception {
        this(wiring, maxTransfer, "auto");
    }

    /** @param damage the panel's {@code damage} mode: "auto", "client" or "full" */
    BenchPanel(DbiWiring wiring, int maxTransfer, String damage) throws Exception {
        bus.registerDriver(new Mi0283qtDriver());
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", DeviceConfig.of("bench", "driver", "mi0283qt",
                "backend", "spi", "dc_gpio", 25, "reset_gpio", 24, "backlight_gpio", 18, "spi_max_transfer", maxTransfer,
                "damage", damage));
        bd.attach(DbiWiring.class, wiring);
        bd.attach(Sleeper.class, us -> { });
        binding = bus.addAndBind(bd);
        frame = Framebuffer.allocate(320, 240, PixelFormat.XRGB8888);
        ByteBuffer b = frame.pixels();
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                frame.setRgb(x, y, (x * 255 / 319) << 16 | (y * 255 / 239) << 8 | ((x ^ y) & 0xFF));
            }
        }
        full = frame.bounds();
        inverse = Framebuffer.allocate(320, 240, PixelFormat.XRGB8888);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                inverse.setRgb(x, y, ~frame.rgb(x, y) & 0xFFFFFF);
            }
        }
    }

    /**
     * Flushes the whole test picture, alternately as is and inverted: every pixel changes from one
     * flush to the next, so the shadow diff (damage "auto") still sends the full frame.
     */
    void flush() throws java.io.IOException {
        binding.device().flush((flushes++ & 1) == 0 ? frame : inverse, full);
    }

    @Override
    public void close() {
        bus.close();
    }
}
