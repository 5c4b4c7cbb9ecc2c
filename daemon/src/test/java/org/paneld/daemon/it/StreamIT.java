package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.paneld.client.PaneldClient;
import org.paneld.protocol.Message.Snapshot;

/**
 * {@code panelctl stream} (issue 18) against the real paneld.jar with virtual 320x240 RGB565
 * panels: ffmpeg's testsrc piped through it, bad streams, the bytes on the virtual wire for a
 * mostly static source, and the desktop mirror recipe ({@code mirror/paneld-mirror}) with a real
 * compositor: sway, headless, as an unprivileged uid (sway refuses root) with its own
 * XDG_RUNTIME_DIR. Nothing is skipped: a missing tool or a sway that does not start fails the test
 * with the reason (sway's log). Test lifetime; one thread plus the processes it starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamIT {
    static final int W = 320;
    static final int H = 240;
    static final int UID = 4361;
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    Path tmp;
    Path sock;
    Path panelctlJar;
    DaemonProcess daemon;
    final List<Process> started = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        for (String tool : List.of("ffmpeg", "sway", "grim", "swaymsg", "wf-recorder", "setpriv", "tee")) {
            assertTrue(SystemdFilesIT.onPath(tool), tool + " is not installed (.ci/apt-packages lists the Debian package)");
        }
        // a directory another uid can read: the mirror runs as UID
        tmp = Files.createTempDirectory(Path.of("/tmp"), "stream-it-");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        sock = tmp.resolve("paneld.sock");
        panelctlJar = Files.copy(DaemonProcess.jar("panelctl.jar"), tmp.resolve("panelctl.jar"));
        Path cfg = Files.writeString(tmp.resolve("paneld.toml"), """
                [server]
                socket = "%s"
                socket_mode = "0666"

                [[panel]]
                name = "lcd0"
                driver = "mi0283qt"
                backend = "virtual"

                [[panel]]
                name = "mirror0"
                driver = "mi0283qt"
                backend = "virtual"
                """.formatted(sock));
        daemon = DaemonProcess.start(tmp, Map.of(), "--config", cfg.toString());
        daemon.awaitReady();
    }

    @AfterAll
    void stop() throws Exception {
        for (Process p : started) { // with what they started (wf-recorder, panelctl, swaybg) when a test failed half-way
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (daemon != null) {
            daemon.terminate(Duration.ofSeconds(20));
            daemon.close();
        }
        if (tmp != null) {
            Ctl.exec(List.of("rm", "-rf", tmp.toString()), Map.of(), 30);
        }
    }

    // ------------------------------------------------------------------ helpers

    List<String> panelctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(DaemonProcess.javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-jar", panelctlJar.toString(), "--socket", sock.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String q(List<String> cmd) {
        StringBuilder sb = new StringBuilder();
        for (String s : cmd) {
            sb.append(sb.length() == 0 ? "" : " ").append('\'').append(s.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }

    Ctl.Result sh(String script) throws Exception {
        return Ctl.exec(List.of("sh", "-c", script), Map.of(), 40);
    }

    Snapshot snapshot(String panel) throws Exception {
        try (PaneldClient c = PaneldClient.connect(sock)) {
            return c.snapshot(panel);
        }
    }

    /** Bytes the virtual panel has received on its wire (the "N wire bytes" of its status line). */
    long wireBytes(String panel) throws Exception {
        try (PaneldClient c = PaneldClient.connect(sock)) {
            for (String l : c.status()) {
                Matcher m = Pattern.compile("^device " + panel + " .* ([0-9]+) wire bytes").matcher(l);
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
            throw new AssertionError("no wire byte count for " + panel + " in the status: " + c.status());
        }
    }

    /** Where two 0xRRGGBB images differ beyond RGB565 quantisation (5, 6, 5 top bits), or null. */
    static String diff565(int[] want, int[] got, int w) {
        for (int i = 0; i < want.length; i++) {
            int a = want[i], b = got[i];
            if ((a >> 19 & 0x1F) != (b >> 19 & 0x1F) || (a >> 10 & 0x3F) != (b >> 10 & 0x3F) || (a >> 3 & 0x1F) != (b >> 3 & 0x1F)) {
                return "pixel " + (i % w) + "," + (i / w) + ": want #" + String.format("%06x", a) + ", the panel shows #"
                        + String.format("%06x", b);
            }
        }
        return null;
    }

    static int[] ppmPixels(byte[] ppm, int w, int h) {
        String head = new String(ppm, 0, 20, StandardCharsets.US_ASCII);
        assertTrue(head.startsWith("P6\n" + w + " " + h + "\n255\n"), "not a " + w + "x" + h + " PPM: " + head);
        int off = ("P6\n" + w + " " + h + "\n255\n").length();
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            int o = off + 3 * i;
            px[i] = (ppm[o] & 0xFF) << 16 | (ppm[o + 1] & 0xFF) << 8 | (ppm[o + 2] & 0xFF);
        }
        return px;
    }

    static byte[] ppm(int w, int h, int rgb) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("P6\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < w * h; i++) {
            o.write(rgb >> 16);
            o.write(rgb >> 8);
            o.write(rgb);
        }
        return o.toByteArray();
    }

    static void assertShows(Snapshot s, int rgb) {
        int[] want = new int[s.width() * s.height()];
        java.util.Arrays.fill(want, rgb);
        String d = diff565(want, s.rgb(), s.width());
        if (d != null) {
            fail(d);
        }
    }

    // ------------------------------------------------------------------ ffmpeg

    @Test
    void ffmpegTestsrcEndsOnThePanelAsFfmpegsLastFrameScaled() throws Exception {
        Path raw = tmp.resolve("testsrc.raw");
        List<String> ffmpeg = List.of("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-frames:v", "30",
                "-f", "rawvideo", "-pix_fmt", "bgra", "-");
        Ctl.Result r = sh(q(ffmpeg) + " | tee " + raw + " | " + q(panelctl("stream", "lcd0", "--size", "160x120")));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().matches("(?s)stream: read=30 shown=[1-9][0-9]* dropped=[0-9]+ .*"), r.toString());
        byte[] all = Files.readAllBytes(raw);
        assertEquals(30 * 160 * 120 * 4, all.length, "ffmpeg wrote 30 frames of 160x120 bgra");
        // ffmpeg's last frame, scaled 2x by pixel replication: the oracle, from ffmpeg's own bytes (B, G, R, X)
        int base = all.length - 160 * 120 * 4;
        int[] want = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int o = base + ((y / 2) * 160 + x / 2) * 4;
                want[y * W + x] = (all[o + 2] & 0xFF) << 16 | (all[o + 1] & 0xFF) << 8 | (all[o] & 0xFF);
            }
        }
        String d = diff565(want, snapshot("lcd0").rgb(), W);
        if (d != null) {
            fail("the panel does not show ffmpeg's last frame: " + d);
        }
    }

    // ------------------------------------------------------------------ bad streams

    @Test
    void badStreamsGiveTheDocumentedErrorAndThePanelKeepsTheLastGoodFrame() throws Exception {
        byte[] good = ppm(W, H, 0);
        int len = good.length; // "P6\n320 240\n255\n" is 15 bytes
        Object[][] cases = {
            {0x3060C0, new byte[][] {ppm(W, H, 0x3060C0), java.util.Arrays.copyOf(ppm(W, H, 0xFF0000), 15 + 1000)},
                "panelctl: stream: frame 2 at byte " + (len + 15 + 1000) + ": truncated frame: the input ended after 1000 of " + (W * H * 3)},
            {0xC06030, new byte[][] {ppm(W, H, 0xC06030), "GARBAGE\n320 240\n".getBytes(StandardCharsets.US_ASCII)},
                "panelctl: stream: frame 2 at byte " + len + ": not a PPM header: expected 'P6', got 'GA'"},
            {0x30C060, new byte[][] {ppm(W, H, 0x30C060), ppm(100, 100, 0xFF0000)},
                "panelctl: stream: frame 2 at byte " + len + ": wrong size: 100x100, the stream is 320x240 (its first frame)"},
        };
        for (Object[] c : cases) {
            Path in = tmp.resolve("bad.ppm");
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            for (byte[] part : (byte[][]) c[1]) {
                o.writeBytes(part);
            }
            Files.write(in, o.toByteArray());
            // through a pipe, as a producer would send it
            Ctl.Result r = sh("cat " + in + " | " + q(panelctl("stream", "lcd0")));
            assertEquals(4, r.code(), "a malformed stream exits with status 4: " + r);
            assertTrue(r.err().startsWith((String) c[2]), "the error names the frame and the byte offset: " + r);
            assertTrue(r.out().startsWith("stream: read=1 shown=1 dropped=0"), r.toString());
            assertShows(snapshot("lcd0"), (int) c[0]);
        }
        Ctl.Result help = Ctl.exec(panelctl("--help"), Map.of(), 40);
        assertTrue(help.out().contains("4   stream: the input is malformed"), "panelctl's exit codes list status 4:\n" + help.out());
    }

    // ------------------------------------------------------------------ SIGINT, /dev/fbN

    @Test
    void sigintStopsALiveStreamCleanlyWithItsReport() throws Exception {
        Process p = new ProcessBuilder(panelctl("stream", "lcd0", "--format", "RGB565")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] frame = new byte[W * H * 2];
        java.util.Arrays.fill(frame, (byte) 0x1F); // 0x1F1F: a colour with some of each channel
        Thread producer = new Thread(() -> {
            try (var out = p.getOutputStream()) {
                while (true) {
                    out.write(frame);
                    out.flush();
                }
            } catch (IOException e) {
                // the consumer is gone: the producer's EPIPE (SIGPIPE for a C producer) ends it
            }
        }, "producer");
        producer.start();
        awaitPanel(Duration.ofSeconds(20), () -> snapshot("lcd0").rgb()[0] == rgbOf565(0x1F1F),
                () -> "the frames never reached the panel");
        Ctl.exec(List.of("kill", "-INT", Long.toString(p.pid())), Map.of(), 10);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "panelctl stream did not stop on SIGINT");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(130, p.exitValue(), "SIGINT: 128 + 2; stdout: " + out);
        assertTrue(out.matches("(?s)stream: read=[1-9][0-9]* shown=[1-9][0-9]* dropped=[0-9]+ .*"), out);
        producer.join(10_000);
        assertTrue(!producer.isAlive(), "the producer saw the pipe close");
        assertShows(snapshot("lcd0"), rgbOf565(0x1F1F));
    }

    /** 0xRRGGBB of an RGB565 value, widened as the emulator shows it (top bits are what diff565 compares). */
    static int rgbOf565(int v) {
        int r = v >> 11 & 0x1F, g = v >> 5 & 0x3F, b = v & 0x1F;
        return (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
    }

    @Test
    void aFramebufferIsReadWithItsSysfsGeometry() throws Exception {
        Path sys = Files.createDirectories(tmp.resolve("sys/class/graphics/fb5"));
        Files.writeString(sys.resolve("virtual_size"), "160,120\n");
        Files.writeString(sys.resolve("bits_per_pixel"), "32\n");
        Files.writeString(sys.resolve("stride"), (160 * 4 + 64) + "\n");
        byte[] mem = new byte[(160 * 4 + 64) * 120];
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                int o = y * (160 * 4 + 64) + x * 4;
                int rgb = x < 80 ? 0xFF8000 : 0x0080FF;
                mem[o] = (byte) rgb;
                mem[o + 1] = (byte) (rgb >> 8);
                mem[o + 2] = (byte) (rgb >> 16);
            }
        }
        Path fb = Files.write(tmp.resolve("fb5"), mem);
        Ctl.Result r = Ctl.exec(panelctl("stream", "lcd0", "--input", fb.toString(), "--sysfs", tmp.resolve("sys").toString(), "--frames", "3",
                "--fps", "50"), Map.of(), 40);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("stream: read=3 shown="), r.toString());
        int[] want = new int[W * H];
        for (int i = 0; i < want.length; i++) {
            want[i] = i % W < 160 ? 0xFF8000 : 0x0080FF;
        }
        String d = diff565(want, snapshot("lcd0").rgb(), W);
        if (d != null) {
            fail("the framebuffer scaled 2x: " + d);
        }
    }

    // ------------------------------------------------------------------ damage (issue 16)

    /**
     * Needs automatic damage (issue 16): whole-frame flips of a mostly static source must put less
     * than a full frame per frame on the virtual wire. Reads the wire byte count the emulator
     * reports in the daemon's status.
     */
    @Test
    void aMostlyStaticSourcePutsLessThanAFullFramePerFrameOnTheWire() throws Exception {
        int frames = 40;
        byte[] raw = new byte[frames * W * H * 4];
        for (int n = 0; n < frames; n++) {
            int base = n * W * H * 4;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int rgb = y < 20 ? 0x303030 : (x / 40 + y / 40) % 2 == 0 ? 0x4060A0 : 0x406080;
                    if (x >= 8 * n && x < 8 * n + 16 && y >= 100 && y < 116) {
                        rgb = 0xFFFFFF; // the moving "cursor"
                    }
                    int o = base + (y * W + x) * 4;
                    raw[o] = (byte) rgb;
                    raw[o + 1] = (byte) (rgb >> 8);
                    raw[o + 2] = (byte) (rgb >> 16);
                }
            }
        }
        Path file = Files.write(tmp.resolve("desktop.raw"), raw);
        long before = wireBytes("lcd0");
        Ctl.Result r = Ctl.exec(panelctl("stream", "lcd0", "--input", file.toString()), Map.of(), 40);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("stream: read=" + frames + " shown=" + frames + " dropped=0"), "a regular file: every frame shown: " + r);
        long perFrame = (wireBytes("lcd0") - before) / frames;
        assertTrue(perFrame < W * H * 2L, "a 16x16 change a frame put " + perFrame + " bytes a frame on the wire; a full frame is " + W * H * 2);
    }

    // ------------------------------------------------------------------ the desktop mirror

    @Test
    void theDesktopOfARealCompositorIsMirroredAndChangesArriveWithinASecond() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path run = Files.createDirectories(tmp.resolve("run"));
        if (ROOT) { // sway refuses root: it runs as UID
            Ctl.exec(List.of("chown", UID + ":" + UID, home.toString(), run.toString()), Map.of(), 30);
        }
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
        Path pattern = tmp.resolve("pattern.png");
        ImageIO.write(pattern(), "png", pattern.toFile());
        Path config = Files.writeString(tmp.resolve("sway.config"), """
                output HEADLESS-1 resolution %dx%d position 0,0
                output HEADLESS-1 bg %s stretch
                default_border none
                seat seat0 hide_cursor 1
                """.formatted(W, H, pattern));
        Path mirror = Files.copy(Path.of(System.getProperty("paneld.repo.dir", "..")).resolve("mirror/paneld-mirror"), tmp.resolve("paneld-mirror"));
        Path wrapper = Files.writeString(tmp.resolve("panelctl"), "#!/bin/sh\nexec " + q(List.of(DaemonProcess.javaBin(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-jar", panelctlJar.toString())) + " \"$@\"\n");
        for (Path p : List.of(mirror, wrapper)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (Path p : List.of(pattern, config, panelctlJar)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", run.toString(), "HOME", home.toString(), "PATH", "/usr/bin:/bin",
                "WLR_BACKENDS", "headless", "WLR_LIBINPUT_NO_DEVICES", "1", "WLR_RENDERER", "pixman");
        File swayLog = tmp.resolve("sway.log").toFile();
        Process sway = asUid(env, List.of("sway", "-c", config.toString())).redirectErrorStream(true).redirectOutput(swayLog).start();
        started.add(sway);
        Path wayland = run.resolve("wayland-1");
        awaitPanel(Duration.ofSeconds(15), () -> {
            if (!sway.isAlive()) {
                throw new AssertionError("sway exited (" + sway.exitValue() + "); its log:\n" + read(swayLog));
            }
            return Files.exists(wayland) && ipc(run) != null;
        }, () -> "sway did not start: no " + wayland + " within 15 s; its log:\n" + read(swayLog));
        Map<String, String> session = new java.util.HashMap<>(env);
        session.put("WAYLAND_DISPLAY", "wayland-1");
        session.put("SWAYSOCK", ipc(run).toString());
        session.put("PANELD_SOCKET", sock.toString());
        session.put("PANELCTL", wrapper.toString());
        File mirrorLog = tmp.resolve("mirror.log").toFile();
        Process m = asUid(session, List.of(mirror.toString(), "mirror0")).redirectErrorStream(true).redirectOutput(mirrorLog).start();
        started.add(m);
        // the pattern on the panel equals the compositor's own screenshot within RGB565 quantisation
        String[] last = {null};
        int[][] screen = {null};
        awaitPanel(Duration.ofSeconds(20), () -> {
            screen[0] = ppmPixels(runAsUid(session, "grim", "-t", "ppm", "-"), W, H);
            last[0] = diff565(screen[0], snapshot("mirror0").rgb(), W);
            return last[0] == null;
        }, () -> "the panel never showed grim's screenshot (" + last[0] + "); mirror log:\n" + read(mirrorLog) + "\nsway log:\n" + read(swayLog));
        assertEquals(0xFF0000, screen[0][10 * W + 10], "the screenshot is the test pattern (red corner)");
        // a change on the screen reaches the panel within a second
        runAsUid(session, "swaymsg", "output", "HEADLESS-1", "bg", "#00ff00", "solid_color");
        long t0 = System.nanoTime();
        awaitPanel(Duration.ofSeconds(5), () -> snapshot("mirror0").rgb()[(H / 2) * W + W / 2] == 0x00FF00
                && diff565(solid(0x00FF00), snapshot("mirror0").rgb(), W) == null, () -> "the green screen never reached the panel; mirror log:\n"
                + read(mirrorLog));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms <= 1000, "the change took " + ms + " ms to reach the panel");
        // stopping the mirror stops the capture and reports
        m.destroy();
        assertTrue(m.waitFor(10, TimeUnit.SECONDS), "paneld-mirror did not stop on SIGTERM; log:\n" + read(mirrorLog));
        String log = read(mirrorLog);
        assertTrue(log.matches("(?s).*stream: read=[1-9][0-9]* shown=[1-9][0-9]* dropped=[0-9]+ .*"), "no stream report:\n" + log);
        sway.destroy();
        sway.waitFor(10, TimeUnit.SECONDS);
    }

    static int[] solid(int rgb) {
        int[] px = new int[W * H];
        java.util.Arrays.fill(px, rgb);
        return px;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls a condition (snapshots and sockets are pulled: there is no event to wait on) every 20 ms; fails with {@code why}. */
    static void awaitPanel(Duration limit, Check c, java.util.function.Supplier<String> why) {
        try {
            org.awaitility.Awaitility.await().atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(c::ok);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            fail(why.get());
        }
    }

    static Path ipc(Path run) throws IOException {
        try (var s = Files.list(run)) {
            return s.filter(p -> p.getFileName().toString().startsWith("sway-ipc.")).findFirst().orElse(null);
        }
    }

    /** The command as the unprivileged uid of the session. */
    static ProcessBuilder asUid(Map<String, String> env, List<String> cmd) {
        // as root: as UID (sway refuses root); as another user: as that user
        List<String> all = new ArrayList<>(ROOT ? List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups") : List.of());
        all.addAll(cmd);
        ProcessBuilder pb = new ProcessBuilder(all);
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }

    static byte[] runAsUid(Map<String, String> env, String... cmd) throws Exception {
        Process p = asUid(env, List.of(cmd)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + " failed");
        return out;
    }

    static String read(File f) {
        try {
            return Files.readString(f.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + f + ": " + e + ")";
        }
    }

    /** Sharp-edged known content: eight colour bars, a red corner block, a white rectangle. */
    static BufferedImage pattern() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        int[] bars = {0x000000, 0x0000FF, 0x00FF00, 0x00FFFF, 0xFF00FF, 0xFFFF00, 0x808080, 0x2040C0};
        for (int i = 0; i < bars.length; i++) {
            g.setColor(new Color(bars[i]));
            g.fillRect(i * W / 8, 0, W / 8, H);
        }
        g.setColor(Color.RED);
        g.fillRect(0, 0, 32, 32);
        g.setColor(Color.WHITE);
        g.fillRect(100, 150, 120, 40);
        g.dispose();
        return img;
    }
}
