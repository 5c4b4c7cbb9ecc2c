package org.paneld.daemon.server;

import java.util.List;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.display.TouchCalibration;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.display.TouchSimulator;
import org.paneld.protocol.Message;

/**
 * ADMIN_TOUCH (the finger of an emulated touch controller) and ADMIN_CALIBRATE (a display's
 * touch calibration, at once). Neither touches hardware: the simulator drives the emulated chip,
 * the calibration is applied to the next samples. Stateless; the server's admin thread.
 */
final class TouchAdmin {
    private TouchAdmin() {
    }

    /** The touch controller of the bound device {@code name}: ENOENT, or EOPNOTSUPP when it has none. */
    static TouchInput input(PaneldServer server, String name) throws DeviceException {
        Device d = SessionRequests.device(server, name);
        Display display = d.display();
        if (display == null || display.touch().isEmpty()) {
            throw new DeviceException(Errno.EOPNOTSUPP, name + " has no touch controller (configure one in its [panel.touch] table)");
        }
        return display.touch().get();
    }

    static void touch(PaneldServer server, Message.AdminTouch t) throws DeviceException {
        TouchInput in = input(server, t.device());
        TouchSimulator sim = in.simulator().orElseThrow(() -> new DeviceException(Errno.EOPNOTSUPP, t.device() + "'s touch controller ("
                + in.driver() + ") is real hardware: tap and swipe work on virtual panels only"));
        switch (t.action()) {
            case Message.TOUCH_PRESS: {
                DisplayInfo i = SessionRequests.device(server, t.device()).info();
                if (t.x() < 0 || t.y() < 0 || t.x() >= i.width() || t.y() >= i.height()) {
                    throw new DeviceException(Errno.EINVAL, "touch at (" + t.x() + ", " + t.y() + ") is outside " + t.device() + "'s "
                            + i.width() + "x" + i.height() + " display");
                }
                sim.press(t.x(), t.y());
                break;
            }
            case Message.TOUCH_RELEASE:
                sim.release();
                break;
            default:
                throw new DeviceException(Errno.EINVAL, "ADMIN_TOUCH action " + Integer.toUnsignedString(t.action())
                        + " is unknown (0 press, 1 release)");
        }
    }

    static void calibrate(PaneldServer server, Message.AdminCalibrate c) throws DeviceException {
        TouchInput in = input(server, c.device());
        List<Long> v = c.calibration();
        TouchCalibration cal;
        try {
            cal = TouchCalibration.of(v.stream().mapToLong(Long::longValue).toArray());
        } catch (IllegalArgumentException e) {
            throw new DeviceException(Errno.EINVAL, c.device() + ": " + e.getMessage());
        }
        in.setCalibration(cal);
    }
}
