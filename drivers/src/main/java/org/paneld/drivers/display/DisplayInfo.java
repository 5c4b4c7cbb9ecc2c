package org.paneld.drivers.display;

import java.util.List;
import java.util.Optional;
import org.paneld.drivers.pixel.PixelFormat;

/**
 * A snapshot description of a display, as clients see it. Immutable; any thread.
 *
 * @param driver       the driver's name, e.g. "mi0283qt"
 * @param width        visible width in pixels, after rotation
 * @param height       visible height in pixels, after rotation
 * @param widthMm      physical width in millimetres (0 when unknown)
 * @param heightMm     physical height in millimetres (0 when unknown)
 * @param formats      client buffer formats the driver accepts for flush
 * @param panelFormat  what the panel shows: "RGB565", "RGB666", "RGB888", "XRGB8888", "GREY4" (2-bit), "MONO" …
 * @param rotation     rotation in degrees: 0, 90, 180 or 270
 * @param properties   settable properties with their ranges and current values
 * @param connected    connector state (false for a GUD device whose connector reports disconnected)
 * @param updateClass  "fast" (tens of ms per frame) or "slow" (e-paper: seconds per refresh)
 */
public record DisplayInfo(String driver, int width, int height, int widthMm, int heightMm,
                          List<PixelFormat> formats, String panelFormat, int rotation,
                          List<Property> properties, boolean connected, String updateClass) {

    public DisplayInfo {
        formats = List.copyOf(formats);
        properties = List.copyOf(properties);
    }

    /** A property by name. */
    public Optional<Property> property(String name) {
        return properties.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * A settable property. Standard names: "backlight" (0–100), "power" (0 off, 1 on).
     */
    public record Property(String name, long min, long max, long value) {
        public boolean accepts(long v) {
            return v >= min && v <= max;
        }
    }
}
