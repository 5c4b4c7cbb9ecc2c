package org.paneld.drivers.core;

import java.nio.ByteBuffer;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.Rect;

/**
 * The framebuffer a device's panel was last flushed from, as a copy, so that after the panel was
 * switched off and on again (power 0 then 1, disable then enable) the device can send it again,
 * whole, as the kernel re-sends its framebuffer on enable. Like the kernel's, the frame is the
 * whole buffer last flushed (damage is a hint: drivers such as repaper or a GUD full-update
 * device send the whole buffer anyway): a flush from another buffer than last time copies all of
 * it, further flushes from the same buffer copy their damaged rows only. One per device object,
 * one display-sized buffer (allocated at the first flush; replaced only when a flush comes in
 * another size or format). The last source is held weakly, for its identity only.
 * Lifetime: the device object. Threads: the device's operations, under its operation lock.
 */
final class ShownFrame {
    private Framebuffer copy;
    private java.lang.ref.WeakReference<Framebuffer> lastSource = new java.lang.ref.WeakReference<>(null);

    /** Remembers {@code source} after a flush of {@code damage} of it succeeded. */
    void remember(Framebuffer source, Rect damage) {
        if (lastSource.get() != source) {
            lastSource = new java.lang.ref.WeakReference<>(source);
            damage = source.bounds();
        }
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
