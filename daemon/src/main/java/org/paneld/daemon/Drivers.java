package org.paneld.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.gud.GudDriver;
import org.paneld.drivers.mipidbi.MipiDbiDrivers;
import org.paneld.drivers.repaper.RepaperDriver;
import org.paneld.drivers.st7586.St7586Driver;
import org.paneld.drivers.virtual.VirtualFbDriver;

/**
 * The one list of drivers the daemon knows: adding a driver is one line in {@link #all()}.
 * Configs select a driver by its name or one of its aliases. Stateless (drivers are stateless);
 * any thread.
 */
public final class Drivers {
    private static final List<Driver> ALL = all(
            List.of(new VirtualFbDriver()),
            // mi0283qt (ili9341), st7735r, st7789v, ili9486, hx8357d, ili9488, panel-mipi-dbi
            MipiDbiDrivers.all(),
            List.of(new St7586Driver(), new RepaperDriver()),
            // USB displays: devices come from GudUsbService hotplug (or a virtual GUD panel in the config)
            List.of(new GudDriver())
    );

    @SafeVarargs
    private static List<Driver> all(List<Driver>... groups) {
        List<Driver> all = new ArrayList<>();
        for (List<Driver> g : groups) {
            all.addAll(g);
        }
        return List.copyOf(all);
    }

    private Drivers() {
    }

    /** Every driver instance, in registration order. */
    public static List<Driver> all() {
        return ALL;
    }

    /** The driver called {@code name}, or having it as an alias. */
    public static Optional<Driver> find(String name) {
        for (Driver d : ALL) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        for (Driver d : ALL) {
            if (d.aliases().contains(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Every name a config may use (names and aliases), sorted, comma-separated. */
    public static String describe() {
        TreeSet<String> names = new TreeSet<>();
        for (Driver d : ALL) {
            names.add(d.name());
            names.addAll(d.aliases());
        }
        return String.join(", ", names);
    }

    /** Driver names (not aliases), in registration order. */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (Driver d : ALL) {
            n.add(d.name());
        }
        return n;
    }
}
