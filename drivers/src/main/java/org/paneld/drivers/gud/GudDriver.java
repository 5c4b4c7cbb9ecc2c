package org.paneld.drivers.gud;

import java.time.Duration;
import java.util.Set;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.core.VirtualHardwareRegistry;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.usb.UsbTransport;
import org.paneld.drivers.usb.UsbTransportFactory;

/**
 * The GUD (Generic USB Display) host driver, name "gud": binds USB displays speaking the
 * protocol of Linux's drivers/gpu/drm/gud — real ones found by {@link GudUsbService} (attachment
 * {@link UsbTransportFactory} on the bus device) or the emulator of {@code backend = "virtual"}
 * (attachment {@link VirtualHardware}, reached as a {@link UsbTransportFactory} through
 * {@link VirtualHardwareRegistry}; this driver does not know it).
 *
 * <p>Config keys (all optional): {@code use_compression} (bool, default true: LZ4 when the device
 * offers it); for {@code backend = "virtual"} the emulator's own keys are checked by the
 * emulator's provider, which the registry takes out before this driver validates.
 * Stateless; any thread.
 */
public final class GudDriver implements Driver {
    public static final String NAME = "gud";

    /** Keys the daemon's panel table always carries, plus this driver's (an emulator's own keys are its provider's). */
    public static final Set<String> KNOWN_KEYS = Set.of("name", "driver", "backend", "use_compression");

    private final GudOptions defaults;

    /** The daemon's driver: connector polling every 10 s, 5 s control and 3 s bulk timeouts. */
    public GudDriver() {
        this(GudOptions.DEFAULT);
    }

    /** A driver with other defaults (tests use a short poll interval). */
    public GudDriver(GudOptions defaults) {
        this.defaults = defaults;
    }

    /** A driver polling connectors every {@code pollInterval}. */
    public static GudDriver withPollInterval(Duration pollInterval) {
        return new GudDriver(GudOptions.DEFAULT.withPollInterval(pollInterval));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(DeviceConfig config) throws ConfigException {
        config.checkKnownKeys(KNOWN_KEYS);
        config.bool("use_compression", true);
    }

    @Override
    public Display probe(Device device) throws Exception {
        BusDevice bd = device.busDevice();
        UsbTransportFactory factory = bd.attachment(UsbTransportFactory.class).orElse(null);
        if (factory == null && bd.attachment(VirtualHardware.class).isPresent()) {
            factory = VirtualHardwareRegistry.standard().wiring(device, UsbTransportFactory.class);
        }
        if (factory == null) {
            throw new DeviceException(Errno.ENODEV, "GUD device " + bd.name() + " has no USB device behind it"
                    + " (use backend = \"virtual\", or let the USB hotplug service find the device)");
        }
        GudOptions options = defaults.withCompression(defaults.useCompression() && bd.config().bool("use_compression", true));
        UsbTransport usb = factory.open(device);
        return GudDisplay.probe(device, usb, options);
    }
}
