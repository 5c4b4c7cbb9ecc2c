package org.paneld.drivers.virtual;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;

/**
 * {@code virtual-fb}: the simplest driver, for a plain 24-bit virtual framebuffer panel
 * ({@link VirtualFb}). Config keys: {@code width} (default 320), {@code height} (default 240),
 * {@code backend} (must be "virtual"); optionally a touch ({@code [panel.touch]}: keys
 * {@code touch.driver} = "virtual-fb" and {@code touch.calibration}, see {@link VirtualFbTouch}). Useful for clients' tests and as the model of a driver's
 * lifecycle: the "bus connection" is a hardware-scope resource, the display functions are the
 * driver data. Stateless; any thread.
 */
public final class VirtualFbDriver implements Driver {
    public static final String NAME = "virtual-fb";
    private static final Set<String> KEYS = Set.of("name", "driver", "backend", "width", "height", "rotation",
            "touch.driver", "touch.calibration");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(DeviceConfig config) throws ConfigException {
        config.checkKnownKeys(KEYS);
        config.oneOf("backend", "virtual", List.of("virtual"));
        config.integer("width", 320, 1, 4096);
        config.integer("height", 240, 1, 4096);
        config.oneOf("rotation", 0, 0);
        touchCalibration(config);
    }

    /** The touch's calibration when {@code touch.driver} is set, else null; ConfigException naming the key. */
    private static org.paneld.drivers.display.TouchCalibration touchCalibration(DeviceConfig config) throws ConfigException {
        if (!config.has("touch.driver")) {
            if (config.has("touch.calibration")) {
                throw config.error("touch.calibration", "a calibration without a touch driver ([panel.touch] driver = \"virtual-fb\")");
            }
            return null;
        }
        config.oneOf("touch.driver", VirtualFbTouch.DRIVER, List.of(VirtualFbTouch.DRIVER));
        if (!config.has("touch.calibration")) {
            return VirtualFbTouch.DEFAULT_CALIBRATION;
        }
        String text = config.string("touch.calibration");
        try {
            String[] parts = text.split(",");
            long[] v = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                v[i] = Long.parseLong(parts[i].trim());
            }
            return org.paneld.drivers.display.TouchCalibration.of(v);
        } catch (IllegalArgumentException e) {
            throw config.error("touch.calibration", e.getMessage());
        }
    }

    @Override
    public Display probe(Device device) throws Exception {
        validate(device.config());
        VirtualFb fb = device.busDevice().attachment(VirtualHardware.class)
                .filter(VirtualFb.class::isInstance).map(VirtualFb.class::cast)
                .orElseThrow(() -> new DeviceException(Errno.ENODEV, device.name() + ": no virtual-fb hardware attached"));
        org.paneld.drivers.display.TouchCalibration cal = touchCalibration(device.config());
        fb.connect();
        device.hardware().add("disconnect from virtual-fb", fb::disconnect);
        VirtualFbTouch touch = null;
        if (cal != null) {
            touch = new VirtualFbTouch(fb.width(), fb.height(), cal);
            device.hardware().add("stop virtual-fb touch", touch::stop);
        }
        return new FbDisplay(fb, touch);
    }

    /** The driver data of one bound virtual-fb. Device-object lifetime; called by the device model only. */
    private static final class FbDisplay implements Display {
        private final VirtualFb fb;
        private volatile boolean power;
        private volatile int backlight = 100;
        private final VirtualFbTouch touch;

        FbDisplay(VirtualFb fb, VirtualFbTouch touch) {
            this.fb = fb;
            this.touch = touch;
        }

        @Override
        public java.util.Optional<org.paneld.drivers.display.TouchInput> touch() {
            return java.util.Optional.ofNullable(touch);
        }

        @Override
        public DisplayInfo info() {
            return new DisplayInfo(NAME, fb.width(), fb.height(), 0, 0,
                    List.of(PixelFormat.XRGB8888, PixelFormat.RGB565), "RGB888", 0,
                    List.of(new DisplayInfo.Property("backlight", 0, 100, backlight),
                            new DisplayInfo.Property("power", 0, 1, power ? 1 : 0)),
                    true, "fast");
        }

        @Override
        public void enable() {
            fb.setOn(true);
            fb.setBacklight(backlight);
            power = true;
        }

        @Override
        public void disable() {
            fb.setBacklight(0);
            fb.setOn(false);
            power = false;
        }

        @Override
        public void flush(Framebuffer source, Rect damage) throws IOException {
            if (!damage.isInside(fb.width(), fb.height())) {
                throw new DeviceException(Errno.EINVAL, "damage " + damage + " outside the " + fb.width() + "x" + fb.height() + " display");
            }
            if (source.width() != fb.width() || source.height() != fb.height()) {
                throw new DeviceException(Errno.EINVAL, "source is " + source.width() + "x" + source.height()
                        + ", the display " + fb.width() + "x" + fb.height());
            }
            fb.writeRect(source, damage);
        }

        @Override
        public void setProperty(String name, long value) throws IOException {
            switch (name) {
                case "backlight":
                    if (value < 0 || value > 100) {
                        throw new DeviceException(Errno.EINVAL, "backlight must be 0..100, got " + value);
                    }
                    backlight = (int) value;
                    fb.setBacklight(backlight);
                    break;
                case "power":
                    if (value == 1) {
                        enable();
                    } else if (value == 0) {
                        disable();
                    } else {
                        throw new DeviceException(Errno.EINVAL, "power must be 0 or 1, got " + value);
                    }
                    break;
                default:
                    throw new DeviceException(Errno.EINVAL, "unknown property '" + name + "' (known: backlight, power)");
            }
        }
    }
}
