package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** panelctl.jar is client-only; paneld.jar is whole. */
class PanelCtlJarIT {
    static List<String> entries(String property) throws Exception {
        List<String> names = new ArrayList<>();
        try (JarFile j = new JarFile(DaemonProcess.jar(property).toFile())) {
            j.stream().forEach(e -> names.add(e.getName()));
        }
        return names;
    }

    @Test
    void panelctlHasNoPi4jUsb4javaOrDrivers() throws Exception {
        List<String> names = entries("panelctl.jar");
        List<String> bad = names.stream().filter(n -> !n.endsWith("/")).filter(n -> n.startsWith("com/pi4j/") || n.startsWith("org/usb4java/")
                || n.startsWith("org/paneld/drivers/") && !n.startsWith("org/paneld/drivers/display/TouchCalibration")
                || n.startsWith("com/fasterxml/") || n.startsWith("net/jpountz/")
                || n.startsWith("org/paneld/daemon/") && !n.startsWith("org/paneld/daemon/ctl/")
                && !n.startsWith("org/paneld/daemon/config/DefaultSocket")).toList();
        assertEquals(List.of(), bad);
        assertTrue(names.contains("org/paneld/daemon/ctl/PanelCtl.class"));
        assertTrue(names.contains("org/paneld/drivers/display/TouchCalibration.class"), "calibrate fits with TouchCalibration");
        assertTrue(names.stream().anyMatch(n -> n.startsWith("org/paneld/client/")));
        assertTrue(names.stream().anyMatch(n -> n.startsWith("picocli/")));
        assertTrue(names.stream().anyMatch(n -> n.startsWith("io/netty/channel/epoll/")));
    }

    @Test
    void paneldHasEverything() throws Exception {
        List<String> names = entries("paneld.jar");
        for (String prefix : List.of("org/paneld/daemon/Paneld.class", "org/paneld/drivers/core/", "com/pi4j/",
                "org/usb4java/", "io/netty/", "com/fasterxml/jackson/dataformat/toml/", "picocli/")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(prefix)), "paneld.jar lacks " + prefix);
        }
    }
}
