package org.paneld.drivers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.pixel.RgbImage;

/** The registry that lets drivers and emulators meet by name only. */
class VirtualHardwareRegistryTest {

    /** A marker "bus interface" a driver might speak. */
    interface Wires {
    }

    /** Emulated hardware that is its own wiring. */
    static final class SelfWired implements VirtualHardware, Wires {
        final String variant;
        final DeviceConfig config;

        SelfWired(String variant, DeviceConfig config) {
            this.variant = variant;
            this.config = config;
        }

        @Override
        public RgbImage snapshot() {
            return RgbImage.blank(1, 1);
        }
    }

    /** Emulated hardware whose wiring its provider makes. */
    static final class Plain implements VirtualHardware {
        @Override
        public RgbImage snapshot() {
            return RgbImage.blank(1, 1);
        }
    }

    static final class Provider implements VirtualHardwareProvider {
        final Set<String> names;
        final Wires made = new Wires() { };

        Provider(String... names) {
            this.names = Set.of(names);
        }

        @Override
        public Set<String> drivers() {
            return names;
        }

        @Override
        public Set<String> configKeys() {
            return Set.of("width");
        }

        @Override
        public VirtualHardware create(String driver, DeviceConfig config) throws ConfigException {
            config.intValue("width", 10, 1, 100);
            return driver.endsWith("plain") ? new Plain() : new SelfWired(driver, config);
        }

        @Override
        public <T> Optional<T> wiring(VirtualHardware hardware, Class<T> kind) {
            return hardware instanceof Plain && kind == Wires.class ? Optional.of(kind.cast(made))
                    : VirtualHardwareProvider.super.wiring(hardware, kind);
        }
    }

    /** A driver that checks its own keys only, and at probe asks the registry for wires. */
    static final class StrictDriver implements Driver {
        final String name;
        final Set<String> aliases;
        final VirtualHardwareRegistry registry;
        final AtomicReference<Object> wired = new AtomicReference<>();

        StrictDriver(String name, Set<String> aliases, VirtualHardwareRegistry registry) {
            this.name = name;
            this.aliases = aliases;
            this.registry = registry;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<String> aliases() {
            return aliases;
        }

        @Override
        public void validate(DeviceConfig config) throws ConfigException {
            config.checkKnownKeys(Set.of("name", "driver", "backend"));
        }

        @Override
        public Display probe(Device device) throws Exception {
            wired.set(registry.wiring(device, Wires.class));
            throw new DeviceException(Errno.ENODEV, "test driver: wires found, not binding");
        }
    }

    @Test
    void theShippedEmulatorsAreFoundThroughServiceLoader() {
        List<String> names = VirtualHardwareRegistry.standard().driverNames();
        for (String n : List.of("virtual-fb", "mi0283qt", "ili9341", "st7735r", "rh128128t", "st7789v", "ili9486", "hx8357d",
                "ili9488", "panel-mipi-dbi", "st7586", "ev3-lcd", "repaper", "gud")) {
            assertTrue(names.contains(n), n + " in " + names);
        }
    }

    @Test
    void twoProvidersForOneDriverAreRefusedNamingBoth() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> VirtualHardwareRegistry.of(List.of(new Provider("a", "b"), new Provider("b"))));
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains(Provider.class.getName()), e.getMessage());
    }

    @Test
    void aDriverWithoutAnEmulatorIsAConfigErrorNamingThePlaceAndTheDriver() {
        VirtualHardwareRegistry r = VirtualHardwareRegistry.of(List.of(new Provider("other")));
        Driver d = new StrictDriver("lonely", Set.of(), r);
        DeviceConfig c = DeviceConfig.of("paneld.toml, [[panel]] #2 'lcd1'", "backend", "virtual");
        ConfigException e = assertThrows(ConfigException.class, () -> r.validate(d, c));
        assertTrue(e.getMessage().startsWith("paneld.toml, [[panel]] #2 'lcd1': key 'backend': driver 'lonely' has no virtual panel"),
                e.getMessage());
        assertThrows(ConfigException.class, () -> r.create(d, c));
    }

    @Test
    void anAliasFindsTheProviderAndTheNameTheConfigAsksForPicksTheVariant() throws Exception {
        VirtualHardwareRegistry r = VirtualHardwareRegistry.of(List.of(new Provider("chip-a", "chip-b")));
        Driver d = new StrictDriver("chip", Set.of("chip-a", "chip-b"), r);
        assertEquals("chip-b", ((SelfWired) r.create(d, DeviceConfig.of("t", "driver", "chip-b"))).variant);
        assertEquals("chip-a", ((SelfWired) r.create(d, DeviceConfig.of("t"))).variant, "no driver key: the first alias known");
    }

    @Test
    void validationHidesTheEmulatorsKeysFromTheDriverButTheEmulatorChecksThem() throws Exception {
        VirtualHardwareRegistry r = VirtualHardwareRegistry.of(List.of(new Provider("chip")));
        Driver d = new StrictDriver("chip", Set.of(), r);
        r.validate(d, DeviceConfig.of("t", "name", "x", "backend", "virtual", "width", 50));
        ConfigException e = assertThrows(ConfigException.class, () -> r.validate(d, DeviceConfig.of("t", "width", 500)));
        assertTrue(e.getMessage().contains("'width'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> r.validate(d, DeviceConfig.of("t", "colour", 1)));
        assertTrue(e.getMessage().contains("unknown key [colour]"), e.getMessage());
    }

    @Test
    void aDriverGetsItsWiresAtProbeOrAnErrorNamingTheDevice() throws Exception {
        Provider p = new Provider("chip", "chip-plain");
        VirtualHardwareRegistry r = VirtualHardwareRegistry.of(List.of(p));
        StrictDriver d = new StrictDriver("chip", Set.of("chip-plain"), r);
        LifecycleTracker tracker = new LifecycleTracker();
        Bus bus = new Bus("t", tracker);
        bus.registerDriver(d);
        List<String> errors = new ArrayList<>();

        DeviceConfig c = DeviceConfig.of("t", "backend", "virtual");
        VirtualHardware self = r.create(d, c);
        bus.add(new BusDevice("self", "chip", c).attach(VirtualHardware.class, self));
        errors.add(assertThrows(DeviceException.class, () -> bus.bind("self")).getMessage());
        assertSame(self, d.wired.get(), "hardware that implements the kind is its own wiring");

        BusDevice plain = new BusDevice("plain", "chip-plain", c).attach(VirtualHardware.class, r.create(d, c.with("driver", "chip-plain")));
        bus.add(plain);
        errors.add(assertThrows(DeviceException.class, () -> bus.bind("plain")).getMessage());
        assertSame(p.made, d.wired.get(), "else the provider makes the wiring");

        d.wired.set(null);
        bus.add(new BusDevice("bare", "chip", c));
        DeviceException e = assertThrows(DeviceException.class, () -> bus.bind("bare"));
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(e.getMessage().contains("bare: backend \"virtual\" but no virtual panel is attached"), e.getMessage());

        bus.add(new BusDevice("alien", "chip", c).attach(VirtualHardware.class, () -> RgbImage.blank(1, 1)));
        e = assertThrows(DeviceException.class, () -> bus.bind("alien"));
        assertTrue(e.getMessage().contains("alien: the attached virtual hardware is a") && e.getMessage().contains("no Wires"),
                e.getMessage());
        for (String m : errors) {
            assertTrue(m.contains("wires found, not binding"), m);
        }
        bus.close();
        tracker.assertNoneLive();
    }
}
