package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * panelctl's touch commands against a real paneld process: {@code touch} prints what {@code tap}
 * and {@code swipe} make a virtual-fb touch report, one line per event, in order; a panel without
 * touch and a tap outside the panel are refused with clear errors. Under 20 s.
 */
class TouchCtlIT {
    @Test
    void tapAndSwipeArePrintedByTouch() throws Exception {
        Path dir = Files.createTempDirectory("paneld-touch");
        Path socket = dir.resolve("paneld.sock");
        Path file = dir.resolve("paneld.toml");
        Files.writeString(file, "[server]\nsocket = \"" + socket + "\"\n[usb]\nhotplug = false\n"
                + "[[panel]]\nname = \"tp0\"\ndriver = \"virtual-fb\"\nbackend = \"virtual\"\nwidth = 64\nheight = 48\n"
                + "[panel.touch]\ndriver = \"virtual-fb\"\n"
                + "[[panel]]\nname = \"fb1\"\ndriver = \"virtual-fb\"\nbackend = \"virtual\"\nwidth = 32\nheight = 16\n");
        try (DaemonProcess daemon = DaemonProcess.start(dir, Map.of(), "--config", file.toString())) {
            daemon.awaitReady();
            Ctl ctl = new Ctl(socket);
            Ctl.Result info = ctl.run("info", "tp0");
            assertTrue(info.lines().contains("touch=1"), info.toString());

            Path out = dir.resolve("touch.out");
            Path err = dir.resolve("touch.err");
            Process watch = new ProcessBuilder(DaemonProcess.javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                    DaemonProcess.jar("panelctl.jar").toString(), "--socket", socket.toString(), "touch", "tp0", "--count", "8")
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!Files.readString(err).contains("watching tp0")) {
                    assertTrue(watch.isAlive(), "panelctl touch ended early: " + Files.readString(err));
                    assertTrue(System.nanoTime() < deadline, "panelctl touch did not start watching: " + Files.readString(err));
                    watch.waitFor(20, TimeUnit.MILLISECONDS); // polls the file; returns at once if it exits
                }
                Ctl.Result tap = ctl.run("tap", "tp0", "10", "20");
                assertEquals(0, tap.code(), tap.toString());
                assertEquals(2, tap.lines().size(), tap.toString());
                assertTrue(tap.lines().get(0).startsWith("down x=10 y=20 slot=0 pressure=255 raw_x=220 raw_y=3620 t_us="), tap.toString());
                assertTrue(tap.lines().get(1).startsWith("up x=10 y=20 "), tap.toString());

                Ctl.Result swipe = ctl.run("swipe", "tp0", "0", "0", "40", "30", "--steps", "4", "--duration-ms", "40");
                assertEquals(0, swipe.code(), swipe.toString());
                List<String> s = swipe.lines();
                assertTrue(s.get(0).startsWith("down x=0 y=0 "), swipe.toString());
                assertTrue(s.get(s.size() - 1).startsWith("up x=40 y=30 "), swipe.toString());

                assertTrue(watch.waitFor(15, TimeUnit.SECONDS), "panelctl touch did not end after 8 events");
                assertEquals(0, watch.exitValue(), Files.readString(err));
                List<String> seen = Files.readAllLines(out);
                assertEquals(8, seen.size(), String.join("\n", seen));
                assertEquals(List.of("down", "up", "down", "move", "move", "move", "move", "up"),
                        seen.stream().map(l -> l.substring(0, l.indexOf(' '))).toList());
                assertTrue(seen.get(0).startsWith("down x=10 y=20 "), seen.get(0));
                assertTrue(seen.get(6).startsWith("move x=40 y=30 "), seen.get(6));
                assertFalse(seen.get(0).contains("owner"), "observed, not owned");
            } finally {
                watch.destroyForcibly();
            }

            Ctl.Result none = ctl.run("tap", "fb1", "1", "1");
            assertEquals(1, none.code(), none.toString());
            assertTrue(none.err().contains("EOPNOTSUPP") && none.err().contains("fb1 has no touch controller"), none.toString());
            Ctl.Result outside = ctl.run("tap", "tp0", "64", "0");
            assertEquals(1, outside.code(), outside.toString());
            assertTrue(outside.err().contains("EINVAL") && outside.err().contains("outside tp0's 64x48 display"), outside.toString());
            assertEquals(0, daemon.terminate(Duration.ofSeconds(20)), daemon.logText());
        }
    }
}
