package org.paneld.drivers.display;

import java.io.IOException;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.Rect;

/**
 * What a driver's probe returns: the display functions of one bound device (the driver data).
 *
 * <p>The device model calls {@link #enable}, {@link #disable}, {@link #flush} and
 * {@link #setProperty} only inside the device's unplug guard, from any thread but never two at
 * once for the same device (the {@link org.paneld.drivers.core.Device} serialises them).
 * {@link #info()} and {@link #release()} must not touch hardware: {@code info()} may be called
 * after unplug, and {@code release()} runs at the last reference drop, after the hardware scope
 * is gone. Lifetime: created at probe, lives as long as the device object.
 */
public interface Display {

    /** The current description (size, formats, properties). No hardware access; valid after unplug. */
    DisplayInfo info();

    /** Switches the display on (initialising the controller if needed) and the backlight on. */
    void enable() throws IOException;

    /** Backlight off, then display off; the controller may keep its state. */
    void disable() throws IOException;

    /**
     * Sends the pixels of {@code damage} (in display coordinates, inside the display, not empty)
     * from {@code source}, a display-sized framebuffer in a client format.
     */
    void flush(Framebuffer source, Rect damage) throws IOException;

    /**
     * Sends the damage rectangles of one update (each inside the display, the list not empty): a
     * driver with a shadow of the panel treats them as a hint bounding its comparison. Default:
     * {@link #flush(Framebuffer, Rect)} for each.
     */
    default void flush(Framebuffer source, java.util.List<Rect> damage) throws IOException {
        for (Rect r : damage) {
            flush(source, r);
        }
    }

    /**
     * Like {@link #flush(Framebuffer, java.util.List)}, for frame pacing: when {@code overloaded}
     * (the device's wire is in sustained overload, see the device's frame statistics) a display
     * configured for it ({@code interlace = "auto"}) may send only alternate rows of a large update
     * and keep the others pending ({@link #hasPendingRows()}); the next flush of any kind sends them
     * (with whatever newer pixels arrived), or {@link #sendPendingRows()} does. Default: a plain
     * flush, nothing pending.
     */
    default void flushPaced(Framebuffer source, java.util.List<Rect> damage, boolean overloaded) throws IOException {
        flush(source, damage);
    }

    /** True when a {@link #flushPaced} left rows of its update not yet sent. */
    default boolean hasPendingRows() {
        return false;
    }

    /** Sends the rows a {@link #flushPaced} left pending (the panel then shows every update whole). */
    default void sendPendingRows() throws IOException {
    }

    /**
     * Updates that sent only alternate rows ({@code interlace = "auto"} under overload) since
     * probe; 0 for displays that never interlace. No hardware access; any thread (a plain read of
     * a counter, which may lag a flush in progress).
     */
    default long interlacedUpdates() {
        return 0;
    }

    /** Sets a property listed in {@link DisplayInfo#properties()}; EINVAL for unknown names or out-of-range values. */
    void setProperty(String name, long value) throws IOException;

    /**
     * Whether the panel still shows its picture after {@link #disable()} (or property "power" 0)
     * and {@link #enable()} again. When not, the device re-sends the picture it last sent on
     * enable, as the kernel re-sends its framebuffer. Default true: a panel that keeps its picture
     * (e-paper, a framebuffer kept by the device) gets nothing extra. No hardware access.
     */
    default boolean keepsPictureWhenSwitchedOff() {
        return true;
    }

    /**
     * The display's touch controller, when one is configured ({@code [panel.touch]}). No hardware
     * access; the same object for the display's whole life. Default: none.
     */
    default java.util.Optional<TouchInput> touch() {
        return java.util.Optional.empty();
    }

    /**
     * Bytes this display has put on its wire since probe (commands, pixels, padding; after
     * compression), for metrics; -1 when the driver does not count. No hardware access; any thread
     * (a plain read of a counter, which may lag a flush in progress).
     */
    default long wireBytes() {
        return -1;
    }

    /**
     * The live view's picture of a display that keeps its own record of what its panel shows (and
     * so no copy in the device, see {@link #keepsPictureWhenSwitchedOff()}): called under the
     * device's operation lock, it copies that record's bytes (microseconds, never a conversion)
     * and returns their conversion to RGB in the client's orientation, which the caller runs
     * after releasing the lock. Offered by the MIPI DBI panels and the ST7586 (the shadow of the
     * controller's memory), GUD (the shadow of the device's framebuffer, in the device format)
     * and repaper e-paper (the frame the last finished refresh drew). Null when the display has
     * no such picture (none sent yet, or it keeps none); the device then answers from its own
     * copy. Default: null.
     */
    default java.util.function.Supplier<org.paneld.drivers.pixel.RgbImage> copyShownPicture() {
        return null;
    }

    /** The driver's release: runs once at the last reference drop; must not touch hardware. */
    default void release() {
    }
}
