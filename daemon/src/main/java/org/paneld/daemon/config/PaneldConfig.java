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
 * @param http       the {@code [http]} table (live view and metrics), or null when absent: no port
 */
public record PaneldConfig(String source, Path file, ServerConfig server, boolean usbHotplug, String logLevel,
                           List<PanelConfig> panels, HttpConfig http) {
    public PaneldConfig {
        panels = List.copyOf(panels);
    }

    /** Without {@code [http]}. */
    public PaneldConfig(String source, Path file, ServerConfig server, boolean usbHotplug, String logLevel, List<PanelConfig> panels) {
        this(source, file, server, usbHotplug, logLevel, panels, null);
    }

    public boolean anySpi() {
        return panels.stream().anyMatch(p -> p.backend() == Backend.SPI);
    }

    public PaneldConfig withServer(ServerConfig s) {
        return new PaneldConfig(source, file, s, usbHotplug, logLevel, panels, http);
    }
}
