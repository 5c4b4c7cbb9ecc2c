package org.paneld.drivers.gud;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.usb.UsbTransport;
import org.paneld.drivers.usb.UsbTransportFactory;
import org.paneld.drivers.virtual.VirtualGudDevice;

/**
 * The GUD (Generic USB Display) host driver, name "gud": binds USB displays speaking the
 * protocol of Linux's drivers/gpu/drm/gud — real ones found by {@link GudUsbService} (attachment
 * {@link UsbTransportFactory} on the bus device) or the emulator of {@code backend = "virtual"}
 * ({@link VirtualGudDevice}, attachment {@link VirtualHardware}).
 *
 * <p>Config keys (all optional): {@code use_compression} (bool, default true: LZ4 when the device
 * offers it); for {@code backend = "virtual"} also the emulator's keys, see
 * {@link VirtualGudDevice#fromConfig}. Stateless; any thread.
 */
public final class GudDriver implements Driver {
    public static final String NAME = "gud";

    /** Keys the daemon's panel table always carries, plus this driver's. */
    public static final Set<String> KNOWN_KEYS;

    static {
        Set<String> k = new TreeSet<>(Set.of("name", "driver", "backend", "use_compression"));
        k.addAll(VirtualGudDevice.CONFIG_KEYS);
        KNOWN_KEYS = Set.copyOf(k);
    }

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
        if ("virtual".equals(config.string("backend", ""))) {
            VirtualGudDevice.fromConfig(config);
        }
    }

    @Override
    public Optional<VirtualHardware> createVirtual(DeviceConfig config) throws ConfigException {
        return Optional.of(VirtualGudDevice.fromConfig(config));
    }

    @Override
    public Display probe(Device device) throws Exception {
        BusDevice bd = device.busDevice();
        UsbTransportFactory factory = bd.attachment(UsbTransportFactory.class).orElse(null);
        if (factory == null) {
            VirtualHardware v = bd.attachment(VirtualHardware.class).orElse(null);
            if (v instanceof UsbTransportFactory) {
                factory = (UsbTransportFactory) v;
            }
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
