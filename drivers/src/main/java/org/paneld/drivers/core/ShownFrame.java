package org.paneld.drivers.core;

import java.nio.ByteBuffer;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.Rect;

/**
 * The picture a panel was last sent, as a copy: the damaged rows of every flush that succeeded,
 * laid over each other as on the panel, so that after the panel was switched off and on again
 * (power 0 then 1, disable then enable) the device can send it again, whole, as the kernel
 * re-sends its framebuffer on enable. Kept only for displays that lose their picture when
 * switched off ({@link org.paneld.drivers.display.Display#keepsPictureWhenSwitchedOff()}). One per
 * device object, one display-sized buffer (allocated at the first flush; replaced when a flush
 * comes in another size, or in another format, whose first flush is then taken whole).
 * Lifetime: the device object. Threads: the device's operations, under its operation lock.
 */
final class ShownFrame {
    private Framebuffer copy;

    /** Remembers {@code damage} of {@code source} after a flush of it succeeded. */
    void remember(Framebuffer source, Rect damage) {
        Framebuffer c = copy;
        if (c == null || c.width() != source.width() || c.height() != source.height()) {
            c = Framebuffer.allocate(source.width(), source.height(), source.format());
            copy = c;
        } else if (c.format() != source.format()) {
            c = Framebuffer.allocate(source.width(), source.height(), source.format());
            copy = c;
            damage = source.bounds();
        }
        ByteBuffer from = source.pixels();
        ByteBuffer to = c.pixels();
        int bytes = Math.toIntExact(source.format().lineBytes(damage.width()));
        for (int y = damage.y(); y < damage.y() + damage.height(); y++) {
            to.put(c.offset(damage.x(), y), from, source.offset(damage.x(), y), bytes);
        }
    }

    /** The frame, or null before the first flush. */
    Framebuffer frame() {
        return copy;
    }
}
