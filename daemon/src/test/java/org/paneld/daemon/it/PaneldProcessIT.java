package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.paneld.client.EventListener;
import org.paneld.client.PaneldClient;
import org.paneld.client.Session;
import org.paneld.daemon.systemd.NotifyListener;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.protocol.Codec;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;

/**
 * One real paneld process (the shaded jar) with two virtual panels, shared by the tests in order:
 * READY=1 on NOTIFY_SOCKET after the socket listens; panelctl list/info/fill/draw/snapshot/status
 * and the admin commands; error exits; then SIGTERM with a client holding a session and another
 * that never reads: STOPPING=1, exit 0 in bounded time, every device switched off and unbound in
 * order before sessions close, nothing leaked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PaneldProcessIT {
    Path dir;
    Path socket;
    NotifyListener notify;
    DaemonProcess daemon;
    Ctl ctl;
    String readyMessage;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("paneld-it");
        socket = dir.resolve("run/paneld.sock"); // the daemon creates run/
        Path cfg = dir.resolve("paneld.toml");
        Files.writeString(cfg, String.join("\n",
                "[server]",
                "socket = \"" + socket + "\"",
                "[usb]",
                "hotplug = false",
                "[[panel]]",
                "name = \"lcd0\"",
                "driver = \"virtual-fb\"",
                "backend = \"virtual\"",
                "width = 320",
                "height = 240",
                "[[panel]]",
                "name = \"lcd1\"",
                "driver = \"virtual-fb\"",
                "backend = \"virtual\"",
                "width = 240",
                "height = 240",
                ""));
        Path notifySock = dir.resolve("notify.sock");
        notify = new NotifyListener(notifySock.toString());
        daemon = DaemonProcess.start(dir, Map.of("NOTIFY_SOCKET", notifySock.toString(), "WATCHDOG_USEC", "2000000"),
                "--config", cfg.toString());
        readyMessage = notify.pollFor("READY=1", 30, TimeUnit.SECONDS);
        assertNotNull(readyMessage, () -> "no READY=1; log:\n" + daemon.logText());
        ctl = new Ctl(socket);
    }

    @AfterAll
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (notify != null) {
            notify.close();
        }
    }

    @Test
    @Order(1)
    void readyComesAfterTheSocketListens() throws Exception {
        assertTrue(readyMessage.contains("STATUS=serving 2 panel(s) on " + socket), readyMessage);
        assertTrue(readyMessage.contains("MAINPID=" + daemon.pid()), readyMessage);
        List<String> log = daemon.lines();
        assertTrue(DaemonProcess.indexOf(log, "server: listening on " + socket) >= 0, daemon.logText());
        assertTrue(Files.exists(socket));
        assertTrue(daemon.logText().contains("hardware: no SPI panel configured, Pi4J not started"), daemon.logText());
        assertTrue(daemon.logText().contains("watchdog every 1000 ms"), daemon.logText());
        assertEquals("WATCHDOG=1", notify.pollFor("WATCHDOG=1", 5, TimeUnit.SECONDS));
    }

    @Test
    @Order(2)
    void listAndInfo() throws Exception {
        Ctl.Result list = ctl.run("list");
        assertEquals(0, list.code(), list.toString());
        assertEquals(List.of("lcd0 virtual-fb 320x240 connected", "lcd1 virtual-fb 240x240 connected"), list.lines());
        Ctl.Result info = ctl.run("info", "lcd1");
        assertEquals(0, info.code(), info.toString());
        for (String want : List.of("name=lcd1", "driver=virtual-fb", "width=240", "height=240", "state=connected")) {
            assertTrue(info.lines().contains(want), want + " missing:\n" + info);
        }
        assertTrue(info.lines().stream().allMatch(l -> l.matches("[a-z_.]+=.*")), info.toString());
    }

    @Test
    @Order(3)
    void drawThenSnapshotShowsThePicture() throws Exception {
        RgbImage img = PanelImages.pattern(320, 240, 3);
        Path png = dir.resolve("in.png");
        img.writePng(png);
        Ctl.Result draw = ctl.run("draw", "lcd0", png.toString());
        assertEquals(0, draw.code(), draw.toString());
        Path out = dir.resolve("out.png");
        Ctl.Result snap = ctl.run("snapshot", "lcd0", out.toString());
        assertEquals(0, snap.code(), snap.toString());
        assertNull(PanelImages.onPanel(img, "RGB888").firstDifference(RgbImage.readImage(out)));
    }

    @Test
    @Order(4)
    void drawScalesToFitAndLetterboxesInBlack() throws Exception {
        // 480x120 (4:1) on 240x240: scaled to 240x60, centred, black bars of 90 rows above and below
        RgbImage wide = RgbImage.blank(480, 120);
        java.util.Arrays.fill(wide.rgb(), 0x3366CC);
        Path png = dir.resolve("wide.png");
        wide.writePng(png);
        assertEquals(0, ctl.run("draw", "lcd1", png.toString()).code());
        Path out = dir.resolve("wide-out.png");
        assertEquals(0, ctl.run("snapshot", "lcd1", out.toString()).code());
        RgbImage shown = RgbImage.readImage(out);
        assertEquals(0x000000, shown.get(120, 10));
        assertEquals(0x000000, shown.get(120, 89));
        assertEquals(0x3366CC, shown.get(120, 120));
        assertEquals(0x3366CC, shown.get(0, 91));
        assertEquals(0x3366CC, shown.get(239, 148));
        assertEquals(0x000000, shown.get(120, 151));
        assertEquals(0x000000, shown.get(120, 239));
    }

    @Test
    @Order(5)
    void fillWithNamedAndHexColours() throws Exception {
        assertEquals(0, ctl.run("fill", "lcd1", "#00ff7f").code());
        Path out = dir.resolve("fill.png");
        assertEquals(0, ctl.run("snapshot", "lcd1", out.toString()).code());
        RgbImage shown = RgbImage.readImage(out);
        for (int c : shown.rgb()) {
            assertEquals(0x00FF7F, c);
        }
    }

    @Test
    @Order(6)
    void statusListsDevicesReferencesAndBytes() throws Exception {
        Ctl.Result st = ctl.run("status");
        assertEquals(0, st.code(), st.toString());
        String s = st.out();
        assertTrue(s.contains("device lcd0 driver=virtual-fb backend=virtual state=bound"), s);
        assertTrue(s.contains("device lcd1 driver=virtual-fb backend=virtual state=bound"), s);
        assertTrue(s.contains("live device lcd0#"), s);
        assertTrue(s.matches("(?s).*bytes_in=[1-9][0-9]*.*"), s);
    }

    @Test
    @Order(7)
    void unplugKeepsThePictureAndReplugBindsAgain() throws Exception {
        Path before = dir.resolve("before.png");
        assertEquals(0, ctl.run("snapshot", "lcd1", before.toString()).code());
        assertEquals(0, ctl.run("unplug", "lcd1").code());
        assertEquals(List.of("lcd0 virtual-fb 320x240 connected"), ctl.run("list").lines());
        Ctl.Result again = ctl.run("unplug", "lcd1");
        assertEquals(1, again.code());
        assertTrue(again.err().startsWith("panelctl: lcd1: ENODEV"), again.toString());
        Path during = dir.resolve("during.png");
        assertEquals(0, ctl.run("snapshot", "lcd1", during.toString()).code());
        assertNull(RgbImage.readImage(before).firstDifference(RgbImage.readImage(during)));
        assertTrue(ctl.run("status").out().contains("device lcd1 driver=virtual-fb backend=virtual state=unplugged"));
        assertEquals(0, ctl.run("replug", "lcd1").code());
        assertEquals(2, ctl.run("list").lines().size());
        List<String> log = daemon.lines();
        assertTrue(DaemonProcess.indexOf(log, "lcd1#") >= 0 && DaemonProcess.indexOf(log, "unplugged (surprise removal)") >= 0,
                daemon.logText());
    }

    @Test
    @Order(8)
    void unbindThenBind() throws Exception {
        assertEquals(0, ctl.run("unbind", "lcd0").code());
        assertEquals(List.of("lcd1 virtual-fb 240x240 connected"), ctl.run("list").lines());
        assertNotNull(notify.pollFor("STATUS=serving 1 panel(s)", 5, TimeUnit.SECONDS), "STATUS= follows the bindings");
        Ctl.Result st = ctl.run("status");
        assertTrue(st.out().contains("device lcd0 driver=virtual-fb backend=virtual state=unbound"), st.toString());
        assertEquals(0, ctl.run("bind", "lcd0").code());
        assertEquals(2, ctl.run("list").lines().size());
    }

    @Test
    @Order(9)
    void errorsAreOneLineWithAStatus() throws Exception {
        Ctl.Result noDevice = ctl.run("info", "nosuch");
        assertEquals(1, noDevice.code());
        assertTrue(noDevice.err().startsWith("panelctl: nosuch: ENOENT: "), noDevice.toString());
        assertEquals(1, noDevice.err().strip().lines().count(), noDevice.toString());

        Ctl.Result badColour = ctl.run("fill", "lcd0", "nocolour");
        assertEquals(2, badColour.code(), badColour.toString());
        assertTrue(badColour.err().startsWith("panelctl: 'nocolour' is not a colour"), badColour.toString());

        Path notImage = dir.resolve("not.png");
        Files.writeString(notImage, "hello");
        Ctl.Result badImage = ctl.run("draw", "lcd0", notImage.toString());
        assertEquals(2, badImage.code(), badImage.toString());
        assertTrue(badImage.err().contains("not an image"), badImage.toString());

        Ctl.Result noDaemon = new Ctl(dir.resolve("nobody.sock")).run("list");
        assertEquals(3, noDaemon.code(), noDaemon.toString());
        assertTrue(noDaemon.err().startsWith("panelctl: cannot connect to paneld at " + dir.resolve("nobody.sock")), noDaemon.toString());
        assertFalse(noDaemon.err().contains("\tat "), noDaemon.toString());

        Ctl.Result unplugReal = ctl.run("snapshot", "nosuch", dir.resolve("x.png").toString());
        assertEquals(1, unplugReal.code());
    }

    @Test
    @Order(10)
    void aSecondDaemonDoesNotStealTheSocket() throws Exception {
        try (DaemonProcess second = DaemonProcess.start(dir, Map.of(), "--config", dir.resolve("paneld.toml").toString())) {
            assertEquals(3, second.waitFor(Duration.ofSeconds(30)), second.logText());
            assertTrue(second.logText().contains("start-up failed at step 'config': another paneld is listening on " + socket),
                    second.logText());
            assertFalse(second.logText().contains("bound to driver"), "no panel touched:\n" + second.logText());
        }
        assertEquals(2, ctl.run("list").lines().size(), "the first daemon still serves");
    }

    @Test
    @Order(100)
    void sigtermSwitchesEveryPanelOffInOrderAndExitsZero() throws Exception {
        CountDownLatch shutdownEvent = new CountDownLatch(1);
        CountDownLatch unpluggedEvent = new CountDownLatch(1);
        try (PaneldClient client = PaneldClient.connect(socket);
             SocketChannel stalled = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.addListener(new EventListener() {
                @Override
                public void shutdown(String reason) {
                    shutdownEvent.countDown();
                }

                @Override
                public void unplugged(Session session) {
                    unpluggedEvent.countDown();
                }
            });
            Session session = client.open("lcd0", true);
            assertEquals(320, session.width());

            // a client that asks for a lot and never reads: its replies pile up in the daemon
            stalled.connect(UnixDomainSocketAddress.of(socket));
            ByteBuf out = Unpooled.buffer();
            Codec.encode(new Frame(1, new Message.Hello(1, 1, 0, "stalled")), out);
            for (int i = 0; i < 40; i++) {
                Codec.encode(new Frame(2 + i, new Message.AdminDevice(Message.ADMIN_SNAPSHOT, "lcd0")), out);
            }
            long base = requestsServed(client);
            stalled.write(out.nioBuffer());
            out.release();
            // wait until the daemon has read all 41 (HELLO + 40 snapshots: 2 in flight, the rest EBUSY at once);
            // each status poll counts as one request more
            int[] polls = {0};
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> requestsServed(client) - base - ++polls[0] >= 41);

            long t0 = System.nanoTime();
            int code = daemon.terminate(Duration.ofSeconds(30));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String text = daemon.logText();
            assertEquals(0, code, text);
            assertTrue(ms < 12_000, "stopping took " + ms + " ms:\n" + text);
            assertTrue(shutdownEvent.await(5, TimeUnit.SECONDS), "no SHUTDOWN event");
            assertTrue(unpluggedEvent.await(5, TimeUnit.SECONDS), "no UNPLUGGED event for the open session");
        }
        String stopping = notify.pollFor("STOPPING=1", 5, TimeUnit.SECONDS);
        assertNotNull(stopping, "no STOPPING=1");

        List<String> log = daemon.lines();
        String text = String.join("\n", log);
        int term = DaemonProcess.indexOf(log, "received SIGTERM");
        int stopAccepting = DaemonProcess.indexOf(log, "server: stopped accepting connections");
        int announced = DaemonProcess.indexOf(log, "server: shutdown announced to clients");
        int sessionsClosed = DaemonProcess.indexOf(log, "server: sessions and connections closed");
        assertTrue(term >= 0 && term < stopAccepting && stopAccepting < announced, text);
        for (String dev : List.of("lcd0", "lcd1")) {
            int bl = indexAfter(log, dev + ": backlight off", term);
            int off = indexAfter(log, dev + ": display off", term);
            int unplugged = indexAfter(log, ": unplugged (unbind)", bl, dev + "#");
            int unbound = indexAfter(log, dev + ": unbound (hardware released)", term);
            assertTrue(announced < bl && bl < off && off < unplugged && unplugged < unbound && unbound < sessionsClosed,
                    dev + " not switched off and unbound in order:\n" + text);
        }
        assertTrue(text.contains("buses: every device removed, nothing left alive"), text);
        assertFalse(text.contains("leaked"), text);
        assertTrue(log.get(log.size() - 1).endsWith("Paneld: stopped"), text);
        assertFalse(text.contains("\tat "), "no stack traces:\n" + text);
        assertFalse(Files.exists(socket), "socket file left behind");
    }

    private static int indexAfter(List<String> log, String s, int from) {
        return indexAfter(log, s, from, "");
    }

    private static int indexAfter(List<String> log, String s, int from, String also) {
        for (int i = Math.max(0, from); i < log.size(); i++) {
            if (log.get(i).contains(s) && log.get(i).contains(also)) {
                return i;
            }
        }
        return -1;
    }

    /** The daemon's request counter, from the {@code server … requests=N} line of ADMIN_STATUS. */
    private static long requestsServed(PaneldClient admin) throws Exception {
        String line = admin.status().stream().filter(l -> l.startsWith("server ")).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("requests=(\\d+)").matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }
}
