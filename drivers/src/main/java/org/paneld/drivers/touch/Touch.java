package org.paneld.drivers.touch;

import com.pi4j.context.Context;
import java.nio.file.Path;
import java.util.Optional;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.VirtualHardwareRegistry;
import org.paneld.drivers.display.TouchSimulator;
import org.paneld.drivers.input.I2cPort;
import org.paneld.drivers.input.Pi4jI2c;
import org.paneld.drivers.input.TouchWiring;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.IrqLine;
import org.paneld.drivers.spi.Pi4jHardware;
import org.paneld.drivers.spi.SpiArbiter;
import org.paneld.drivers.spi.SpiPort;

/**
 * Opens the touch controller a panel's config asks for, as a resource of the panel's binding:
 * on a Pi through Pi4J (the controller's chip select on the panel's SPI bus, or its I2C bus;
 * its interrupt line by BCM number), with backend "virtual" through the emulated controller's
 * {@link TouchWiring} that {@link VirtualHardwareRegistry} finds for the attached panel, for
 * evdev the kernel's event file. SPI controllers share the panel's bus through its
 * {@link SpiArbiter}. Everything opened goes into the device's hardware scope. Stateless;
 * called at probe on the probing thread.
 */
public final class Touch {
    /** Where input devices are listed by name. */
    static final Path SYS_CLASS_INPUT = Path.of("/sys/class/input");

    private Touch() {
    }

    /**
     * What the panel driver tells the touch side: its SPI bus and the bus's arbiter (shared with
     * the panel's own port), its size at rotation 0, the rotation of the picture the client
     * draws (DRM's convention), and whether the backend is virtual.
     */
    public record Panel(int spiBus, SpiArbiter arbiter, int nativeWidth, int nativeHeight, int rotation,
                        boolean virtual) {
    }

    /** An opened touch controller, and the STMPE610's GPIO2 when it is the panel's backlight. */
    public record Opened(TouchController controller, Optional<GpioOutput> backlight) {
    }

    /** Opens and starts the controller of {@code tc} for {@code device}. */
    public static Opened open(Device device, TouchConfig tc, Panel panel) throws Exception {
        TouchTransform transform = new TouchTransform(panel.nativeWidth(), panel.nativeHeight(), panel.rotation(),
                tc.swapXy(), tc.invertX(), tc.invertY());
        if (tc.driver().equals("evdev")) {
            Path sys = device.busDevice().attachment(SysClassInput.class).map(SysClassInput::dir).orElse(SYS_CLASS_INPUT);
            EvdevTouch ev = EvdevTouch.open(tc.evdev(), sys);
            device.hardware().addOrReset("evdev " + ev.path(), ev::close);
            return new Opened(TouchController.start(device, "evdev", ev, transform, tc.calibration(), null), Optional.empty());
        }
        TouchWiring wiring = null;
        Pi4jHardware hw = null;
        Context context = null;
        if (panel.virtual()) {
            wiring = VirtualHardwareRegistry.standard().wiring(device, TouchWiring.class);
            String family = family(tc.driver());
            if (!family.equals(family(wiring.chip()))) {
                throw new DeviceException(Errno.ENODEV, device.name() + ": touch.driver is " + tc.driver()
                        + " but the virtual panel's touch controller is a " + wiring.chip());
            }
        } else {
            context = Pi4jHardware.contextOf(device);
            hw = new Pi4jHardware(device, context);
        }
        IrqLine irq = null;
        if (tc.irqGpio() != TouchConfig.NONE) {
            irq = wiring != null ? wiring.openIrq(device) : hw.openIrq("touch-irq", tc.irqGpio());
        }
        TouchSimulator sim = wiring != null ? wiring.simulator().orElse(null) : null;
        TouchChip chip;
        GpioOutput backlight = null;
        if (tc.spi()) {
            SpiPort raw = wiring != null ? wiring.openSpi(device, tc.spiSpeedHz())
                    : hw.openSpi(panel.spiBus(), tc.spiCs(), tc.spiSpeedHz(), 0, 256);
            SpiPort spi = panel.arbiter().share(raw);
            if (tc.driver().equals("stmpe610")) {
                Stmpe610 s = new Stmpe610(spi, panel.arbiter(), irq, tc.backlight());
                if (tc.backlight()) {
                    backlight = s.backlight();
                }
                chip = s;
            } else {
                chip = new Xpt2046(tc.driver(), spi, irq);
            }
        } else {
            I2cPort i2c = wiring != null ? wiring.openI2c(device) : Pi4jI2c.open(device, context, tc.i2cBus(), tc.address());
            chip = new Ft6236(tc.driver(), i2c, irq);
        }
        TouchController c = TouchController.start(device, tc.driver(), chip, transform, tc.calibration(), sim);
        return new Opened(c, Optional.ofNullable(backlight));
    }

    /** The chip behind a driver name: ads7846 is an xpt2046, ft6206 an ft6236. */
    static String family(String driver) {
        switch (driver) {
            case "ads7846":
                return "xpt2046";
            case "ft6206":
                return "ft6236";
            default:
                return driver;
        }
    }

    /** Where to look up evdev devices by name (tests attach one to the bus device). Immutable. */
    public record SysClassInput(Path dir) {
    }
}
