package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live view in a real browser: a paneld process under the service's JVM flags with
 * {@code [http]} on a free loopback port, and Debian's headless Chromium driven through Selenium.
 * The page lists both panels; after {@code panelctl fill lcd0 red} its picture turns red within a
 * second; after {@code panelctl unplug lcd1} that card is greyed out; a screenshot is kept as
 * {@code target/live-view/live-view.png}. Also: without {@code [http]} the daemon listens on no
 * TCP port at all (and with it, on exactly one).
 */
class LiveViewBrowserIT {
    static final List<String> SERVICE_JVM = List.of("-Xmx48m", "-Xss256k", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=32m",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED");
    static final Pattern URL = Pattern.compile("http: live view on (http://127\\.0\\.0\\.1:\\d+/)");

    static DaemonProcess start(Path dir, boolean http) throws IOException {
        Path cfg = dir.resolve("paneld.toml");
        Files.writeString(cfg, String.join("\n",
                "[server]",
                "socket = \"" + dir.resolve("paneld.sock") + "\"",
                "[usb]",
                "hotplug = false",
                http ? "[http]\nlisten = \"127.0.0.1:0\"\nwatcher_fps = 10" : "",
                "[[panel]]",
                "name = \"lcd0\"",
                "driver = \"mi0283qt\"",
                "backend = \"virtual\"",
                "[[panel]]",
                "name = \"lcd1\"",
                "driver = \"virtual-fb\"",
                "backend = \"virtual\"",
                "width = 96",
                "height = 64",
                ""));
        List<String> cmd = new ArrayList<>();
        cmd.add(DaemonProcess.javaBin());
        cmd.addAll(SERVICE_JVM);
        cmd.addAll(DaemonProcess.leakDetection());
        cmd.addAll(List.of("-jar", DaemonProcess.jar("paneld.jar").toString(), "--config", cfg.toString()));
        return DaemonProcess.startCommand(dir, Map.of(), cmd);
    }

    @Test
    void thePageShowsThePanelsLiveAndGreysOutAnUnpluggedOne() throws Exception {
        Path dir = Files.createTempDirectory("paneld-live");
        Path artifacts = Path.of("target", "live-view");
        Files.createDirectories(artifacts);
        try (DaemonProcess d = start(dir, true)) {
            d.awaitReady();
            Matcher m = URL.matcher(d.awaitLine(l -> URL.matcher(l).find(), Duration.ofSeconds(5)));
            assertTrue(m.find());
            String url = m.group(1);
            assertEquals(1, listeningTcpSockets(d.pid()), "the [http] port and nothing else");
            Ctl ctl = new Ctl(dir.resolve("paneld.sock"));
            assertEquals(0, ctl.run("fill", "lcd1", "#00ff00").code());

            ChromeDriver browser = chromium(dir.resolve("chromium-profile"));
            try {
                browser.get(url);
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(20));
                wait.until(b -> b.findElements(By.cssSelector("section.panel[data-state=bound]")).size() == 2);
                WebElement lcd0 = browser.findElement(By.cssSelector("section.panel[data-name=lcd0]"));
                assertTrue(lcd0.getText().contains("mi0283qt"), lcd0.getText());
                assertTrue(lcd0.getText().contains("320×240"), lcd0.getText());
                assertEquals("paneld live view", browser.getTitle());
                wait.until(b -> "0,255,0".equals(centre(b, "lcd1")));

                assertEquals(0, ctl.run("fill", "lcd0", "red").code());
                long filled = System.nanoTime();
                new WebDriverWait(browser, Duration.ofSeconds(1), Duration.ofMillis(10)).until(b -> "255,0,0".equals(centre(b, "lcd0")));
                long ms = (System.nanoTime() - filled) / 1_000_000;
                assertTrue(ms <= 1000, "picture changed after " + ms + " ms");

                assertEquals(0, ctl.run("unplug", "lcd1").code());
                wait.until(b -> b.findElement(By.cssSelector("section.panel[data-name=lcd1]")).getAttribute("class").contains("unplugged"));
                WebElement lcd1 = browser.findElement(By.cssSelector("section.panel[data-name=lcd1]"));
                assertTrue(Double.parseDouble(lcd1.getCssValue("opacity")) < 0.6, "greyed out: opacity " + lcd1.getCssValue("opacity"));
                assertTrue(lcd1.findElement(By.tagName("img")).getCssValue("filter").contains("grayscale"));
                assertTrue(lcd1.getText().contains("unplugged"), lcd1.getText());
                wait.until(b -> b.findElement(By.cssSelector("section.panel[data-name=lcd0] dd[data-key=fps]")) != null);

                Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(shot, artifacts.resolve("live-view.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

                // a phone: one column, nothing wider than the screen
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
                wait.until(b -> (Boolean) ((JavascriptExecutor) b).executeScript(
                        "return document.documentElement.scrollWidth <= window.innerWidth"));
                Object columns = browser.executeScript("const cs = [...document.querySelectorAll('section.panel')];"
                        + "return new Set(cs.map(c => Math.round(c.getBoundingClientRect().left))).size");
                assertEquals(1L, columns, "one column on a phone");
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), artifacts.resolve("live-view-phone.png"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                browser.quit();
                deleteTree(dir.resolve("chromium-profile")); // a browser profile is tens of megabytes
            }

            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("paneld_device_frames_total{device=\"lcd0\"} 1.0\n"), metrics.body());
            assertTrue(metrics.body().contains("paneld_device_unplugs_total{device=\"lcd1\"} 1.0\n"), metrics.body());
            assertTrue(metrics.body().contains("paneld_device_wire_bytes_total{device=\"lcd0\"} 153611.0\n"),
                    "one full RGB565 frame and its CASET/RASET/RAMWR on the wire");
            assertEquals(0, d.terminate(Duration.ofSeconds(20)), d.logText());
        }
    }

    @Test
    void withoutTheHttpTableNoPortIsOpened() throws Exception {
        Path dir = Files.createTempDirectory("paneld-nohttp");
        try (DaemonProcess d = start(dir, false)) {
            d.awaitReady();
            assertEquals(0, listeningTcpSockets(d.pid()), d.logText());
            assertTrue(d.lines().stream().noneMatch(l -> l.contains("http:")), d.logText());
            assertEquals(0, d.terminate(Duration.ofSeconds(20)));
        }
    }

    @Test
    void aPublicAddressWithoutATokenIsRefusedBeforeAnythingStarts() throws Exception {
        Path dir = Files.createTempDirectory("paneld-badhttp");
        Path cfg = dir.resolve("paneld.toml");
        Files.writeString(cfg, "[http]\nlisten = \"0.0.0.0:7080\"\n");
        try (DaemonProcess d = DaemonProcess.start(dir, Map.of(), "--check", "--config", cfg.toString())) {
            assertEquals(3, d.waitFor(Duration.ofSeconds(30)), d.logText());
            assertTrue(d.logText().contains(cfg + ": [http]: key 'listen': \"0.0.0.0:7080\" is not a loopback address: set http_token"),
                    d.logText());
        }
    }

    /** Red, green, blue of the centre of the panel's picture on the page, read back through a canvas. */
    static String centre(org.openqa.selenium.WebDriver b, String name) {
        Object v = ((JavascriptExecutor) b).executeScript(
                "const img = document.querySelector('section.panel[data-name=\"' + arguments[0] + '\"] img');"
                        + "if (!img || !img.complete || !img.naturalWidth) return null;"
                        + "const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;"
                        + "const g = c.getContext('2d'); g.drawImage(img, 0, 0);"
                        + "const p = g.getImageData(c.width >> 1, c.height >> 1, 1, 1).data; return p[0] + ',' + p[1] + ',' + p[2];",
                name);
        return v == null ? null : v.toString();
    }

    static ChromeDriver chromium(Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1000,700", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    /** Best effort: a browser process still exiting may add a file meanwhile. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // left in the temp dir
        }
    }

    /** TCP sockets in LISTEN state that process {@code pid} holds (from /proc). */
    static int listeningTcpSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        int n = 0;
        for (String table : List.of("tcp", "tcp6")) {
            Path p = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    n++;
                }
            }
        }
        return n;
    }
}
