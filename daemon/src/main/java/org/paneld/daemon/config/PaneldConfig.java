package org.paneld.daemon.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The daemon's whole configuration, validated (no hardware was touched to validate it).
 * Immutable; any thread.
 *
 * @param source     where it came from: the file's path, or "built-in defaults"
 * @param file       the file, or null for the built-in defaults
 * @param server     the {@code [server]} table
 * @param usbHotplug {@code [usb] hotplug}: watch for GUD USB displays (default true)
 * @param logLevel   {@code [log] level}, or null when not set
 * @param panels     the {@code [[panel]]} tables, in file order, names unique
 */
public record PaneldConfig(String source, Path file, ServerConfig server, boolean usbHotplug, String logLevel,
                           List<PanelConfig> panels) {
    public PaneldConfig {
        panels = List.copyOf(panels);
    }

    public boolean anySpi() {
        return panels.stream().anyMatch(p -> p.backend() == Backend.SPI);
    }

    public PaneldConfig withServer(ServerConfig s) {
        return new PaneldConfig(source, file, s, usbHotplug, logLevel, panels);
    }
}
