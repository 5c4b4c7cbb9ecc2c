package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paneld.daemon.Drivers;

/**
 * The hardware step: a Pi4J context exists only when a panel has backend = "spi"; it is shut down
 * last at exit. Off a Raspberry Pi (no {@code /dev/spidev0.0}) the SPI panel cannot bind: the
 * daemon logs why, does not list it, keeps serving the virtual panel, and still stops cleanly; on
 * a machine with that SPI device it binds. Each machine has its one right outcome.
 */
class HardwareStepIT {
    @TempDir
    Path dir;

    @Test
    void pi4jOnlyForSpiPanelsAndShutDownLast() throws Exception {
        assertTrue(Drivers.find("mi0283qt").isPresent(), "the mi0283qt driver is registered");
        boolean spiHere = Files.exists(Path.of("/dev/spidev0.0"));
        Path socket = dir.resolve("p.sock");
        Path cfg = dir.resolve("paneld.toml");
        Files.writeString(cfg, String.join("\n",
                "[server]", "socket = \"" + socket + "\"", "[usb]", "hotplug = false",
                "[[panel]]", "name = \"lcd0\"", "driver = \"mi0283qt\"", "backend = \"spi\"",
                "dc_gpio = 24", "reset_gpio = 23", "backlight_gpio = 18",
                "[[panel]]", "name = \"sim0\"", "driver = \"virtual-fb\"", "backend = \"virtual\"", ""));
        try (DaemonProcess p = DaemonProcess.start(dir, Map.of(), "--config", cfg.toString())) {
            p.awaitReady();
            String text = p.logText();
            assertTrue(text.contains("hardware: Pi4J context started"), text);
            Ctl.Result list = new Ctl(socket).run("list");
            assertEquals(0, list.code(), list.toString());
            assertTrue(list.lines().contains("sim0 virtual-fb 320x240 connected"), list.toString());
            boolean listed = list.lines().stream().anyMatch(l -> l.startsWith("lcd0 "));
            if (spiHere) {
                assertTrue(text.contains("lcd0#1 bound to driver mi0283qt"), "/dev/spidev0.0 exists: lcd0 binds\n" + text);
                assertTrue(listed, list.toString());
            } else {
                assertTrue(text.contains("lcd0: not bound: "), "no /dev/spidev0.0: lcd0 cannot bind, and the log says so\n" + text);
                assertFalse(text.contains("bound to driver mi0283qt"), text);
                assertFalse(listed, "an unbound panel is not listed: " + list);
            }
            // admin requests that only make sense for virtual panels are refused with a clear message
            Ctl.Result snap = new Ctl(socket).run("snapshot", "lcd0", dir.resolve("x.png").toString());
            assertEquals(1, snap.code(), snap.toString());
            assertTrue(snap.err().startsWith("panelctl: lcd0: EINVAL: lcd0 is not a virtual panel"), snap.toString());
            Ctl.Result unplug = new Ctl(socket).run("unplug", "lcd0");
            assertEquals(1, unplug.code(), unplug.toString());
            assertTrue(unplug.err().startsWith("panelctl: lcd0: EINVAL: lcd0 is not a virtual device"), unplug.toString());
            assertEquals(0, p.terminate(Duration.ofSeconds(30)), p.logText());
            List<String> log = p.lines();
            int buses = DaemonProcess.indexOf(log, "unwinding step 'buses'");
            int shut = DaemonProcess.indexOf(log, "hardware: Pi4J context shut down");
            assertTrue(buses >= 0 && shut > buses, "Pi4J must be shut down after the devices are gone:\n" + p.logText());
        }
    }
}
