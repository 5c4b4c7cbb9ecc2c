package org.paneld.daemon.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.Session;
import org.paneld.daemon.config.HttpConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.Message;
import org.paneld.protocol.NettyLeakCheck;

/**
 * The {@code [http]} endpoint in process: the bad-input table (each answered with its status,
 * none of them disturbing a client drawing on the socket at the same time), the token, slow
 * clients, too many watchers, a deaf watcher that must not slow the panel, snapshots, and
 * {@code /metrics} read by a strict text-format reader, with values that move when frames are sent.
 */
@ExtendWith(NettyLeakCheck.class)
class HttpViewTest {
    static final String TOKEN = "s3cret-token-0123456789";

    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver());
    HttpRig rig;

    HttpRig rig(String token, int maxWatchers, long requestTimeoutMs) throws Exception {
        rig = new HttpRig(kit, new HttpConfig("127.0.0.1", 0, token, maxWatchers, 20), requestTimeoutMs);
        return rig;
    }

    @AfterEach
    void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    record Bad(String what, byte[] request, int status) {
        Bad(String what, String request, int status) {
            this(what, request.getBytes(StandardCharsets.ISO_8859_1), status);
        }
    }

    @Test
    void badRequestsGetTheirStatusAndNeverDisturbAClient() throws Exception {
        HttpRig r = rig(null, 2, 10_000);
        String host = "Host: 127.0.0.1:" + r.view.port() + "\r\n";
        List<Bad> table = List.of(
                new Bad("unknown path", "GET /nope HTTP/1.1\r\n" + host + "\r\n", 404),
                new Bad("favicon", "GET /favicon.ico HTTP/1.1\r\n" + host + "\r\n", 404),
                new Bad("unknown panel", "GET /devices/nope.png HTTP/1.1\r\n" + host + "\r\n", 404),
                new Bad("path escape", "GET /devices/../../etc/passwd.png HTTP/1.1\r\n" + host + "\r\n", 404),
                new Bad("POST", "POST /metrics HTTP/1.1\r\n" + host + "Content-Length: 3\r\n\r\nabc", 405),
                new Bad("DELETE", "DELETE / HTTP/1.1\r\n" + host + "\r\n", 405),
                new Bad("request line of 5000 bytes", "GET /" + "a".repeat(5000) + " HTTP/1.1\r\n" + host + "\r\n", 414),
                new Bad("10 KiB of headers", "GET / HTTP/1.1\r\n" + host + "X-Big: " + "b".repeat(10_000) + "\r\n\r\n", 431),
                new Bad("garbage", "\u0001\u0002 nonsense\r\n\r\n", 400),
                new Bad("malformed escape", "GET /devices/%zz.png?token=%G1 HTTP/1.1\r\n" + host + "\r\n", 400),
                new Bad("foreign Host (DNS rebinding)", "GET /metrics HTTP/1.1\r\nHost: evil.example:7080\r\n\r\n", 403),
                new Bad("no Host", "GET /metrics HTTP/1.0\r\n\r\n", 403));
        PaneldClient c = r.client();
        try (Session s = c.open("fb0", true); Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, false)) {
            int colour = 0x100000;
            for (Bad bad : table) {
                String answer = r.raw(bad.request());
                assertEquals(bad.status(), HttpRig.status(answer), bad.what() + ":\n" + answer);
                assertTrue(answer.toLowerCase().contains("\r\nconnection: close\r\n"), bad.what());
                // the client on the socket draws between two bad requests, unaffected
                b.fill(colour += 0x010203);
                b.flip();
                assertEquals(colour, r.kit.hardware("fb0", org.paneld.drivers.core.VirtualHardware.class).snapshot().get(5, 5));
            }
        }
        assertEquals(200, HttpRig.status(r.get("/")));
        Map<String, Double> m = TextFormat.parse(HttpRig.body(r.get("/metrics")));
        assertEquals(4.0, m.get("paneld_http_responses_total{code=\"404\"}")); // nope, favicon, unknown panel, path escape
        assertEquals(2.0, m.get("paneld_http_responses_total{code=\"400\"}"));
        assertEquals(1.0, m.get("paneld_http_responses_total{code=\"431\"}"));
        assertEquals(2.0, m.get("paneld_http_responses_total{code=\"403\"}"));
        assertEquals(0.0, m.get("paneld_http_watchers"));
        assertEquals(0, r.view.watchers());
    }

    @Test
    void aTokenIsNeededInTheHeaderOrTheQuery() throws Exception {
        HttpRig r = rig(TOKEN, 2, 10_000);
        String host = "Host: 10.0.0.1\r\n"; // with a token any Host is fine
        assertEquals(401, HttpRig.status(r.raw("GET /metrics HTTP/1.1\r\n" + host + "\r\n")));
        String wrong = r.raw("GET /metrics HTTP/1.1\r\n" + host + "Authorization: Bearer " + TOKEN + "x\r\n\r\n");
        assertEquals(401, HttpRig.status(wrong));
        assertTrue(wrong.toLowerCase().contains("\r\nwww-authenticate: bearer realm="), wrong);
        assertEquals(401, HttpRig.status(r.raw("GET /?token=nope HTTP/1.1\r\n" + host + "\r\n")));
        assertEquals(401, HttpRig.status(r.raw("GET /nope HTTP/1.1\r\n" + host + "\r\n")), "the token before the path");
        assertEquals(200, HttpRig.status(r.raw("GET /metrics HTTP/1.1\r\n" + host + "Authorization: Bearer " + TOKEN + "\r\n\r\n")));
        assertEquals(200, HttpRig.status(r.raw("GET /?token=" + TOKEN + " HTTP/1.1\r\n" + host + "\r\n")));
        assertEquals(404, HttpRig.status(r.raw("GET /nope?token=" + TOKEN + " HTTP/1.1\r\n" + host + "\r\n")));
    }

    @Test
    void connectionsBeyondTheLimitGet503AndTheOthersStillWork() throws Exception {
        HttpRig r = rig(null, 2, 10_000);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < HttpView.MAX_CONNECTIONS; i++) {
                idle.add(new Socket("127.0.0.1", r.view.port())); // connected, no request yet
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> r.view.connections().get() == HttpView.MAX_CONNECTIONS);
            String over = r.get("/metrics");
            assertEquals(503, HttpRig.status(over), over);
            assertTrue(over.toLowerCase().contains("\r\nretry-after: 5\r\n"), over);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> r.view.connections().get() == 0);
        assertEquals(200, HttpRig.status(r.get("/metrics")));
    }

    @Test
    void aClientThatNeverFinishesItsRequestGets408() throws Exception {
        HttpRig r = rig(null, 2, 300);
        long t0 = System.nanoTime();
        String answer = r.raw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // no blank line: headers never end
        assertEquals(408, HttpRig.status(answer));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.view.connections().get() == 0);
    }

    @Test
    void watchersAreCountedAndADeafOneNeverSlowsThePanel() throws Exception {
        HttpRig r = rig(null, 2, 10_000);
        String req = "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        try (Socket deaf = new Socket("127.0.0.1", r.view.port()); Socket live = new Socket("127.0.0.1", r.view.port())) {
            deaf.setReceiveBufferSize(4096);
            deaf.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
            live.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
            await().atMost(Duration.ofSeconds(5)).until(() -> r.view.watchers() == 2);
            String third = r.get("/events");
            assertEquals(503, HttpRig.status(third), third);
            assertTrue(third.toLowerCase().contains("\r\nretry-after: 10\r\n"), third);

            InputStream in = live.getInputStream();
            live.setSoTimeout(10_000);
            StringBuilder seen = new StringBuilder();
            PaneldClient c = r.client();
            long frames;
            try (Session s = c.open("fb0", true); Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, false)) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 60; i++) {
                    b.fill(0x0000FF * (i & 1) + 0x00FF00 * (i % 3 == 0 ? 1 : 0) + 0x800000);
                    b.flip();
                }
                frames = 60;
                assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
                // the live watcher keeps getting pictures while the deaf one reads nothing
                byte[] buf = new byte[65536];
                long until = System.nanoTime() + 5_000_000_000L;
                while (count(seen, "event: frame") < 2 && System.nanoTime() < until) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            }
            assertTrue(seen.toString().startsWith("HTTP/1.1 200 OK"), seen.substring(0, Math.min(200, seen.length())));
            assertTrue(seen.toString().toLowerCase().contains("\r\ncontent-type: text/event-stream\r\n"));
            assertTrue(seen.toString().contains("event: status\ndata: [{\"name\":\"fb0\""), seen.substring(0, Math.min(400, seen.length())));
            assertTrue(count(seen, "event: frame") >= 2, "pictures on the live stream");
            assertEquals(frames, r.metrics.meter("fb0").frames());
            assertTrue(r.view.picturesEncoded() >= 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> r.view.watchers() == 0);
    }

    @Test
    void theSamePictureAgainIsNotEncodedAgain() throws Exception {
        HttpRig r = rig(null, 2, 10_000);
        try (Socket w = new Socket("127.0.0.1", r.view.port())) {
            w.getOutputStream().write("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            await().atMost(Duration.ofSeconds(5)).until(() -> r.view.watchers() == 1);
            Thread reader = new Thread(() -> {
                try {
                    w.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    // closed at the end
                }
            });
            reader.setDaemon(true);
            reader.start();
            PaneldClient c = r.client();
            try (Session s = c.open("fb0", true); Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, false)) {
                b.fill(0xAA0000);
                b.flip();
                await().atMost(Duration.ofSeconds(5)).until(() -> r.view.picturesEncoded() >= 2); // fb0 and fb1
                long n0 = r.view.picturesEncoded();
                for (int i = 0; i < 10; i++) {
                    b.flip(); // the same picture, ten new frames
                }
                await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(3)).until(() -> r.view.picturesEncoded() == n0);
                b.fill(0x0000AA);
                b.flip();
                await().atMost(Duration.ofSeconds(5)).until(() -> r.view.picturesEncoded() == n0 + 1);
            }
        }
    }

    private static int count(CharSequence s, String what) {
        int n = 0;
        for (int i = s.toString().indexOf(what); i >= 0; i = s.toString().indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aSnapshotIsThePanelsPictureAsPng() throws Exception {
        HttpRig r = rig(null, 2, 10_000);
        String none = r.get("/devices/fb1.png");
        assertEquals(200, HttpRig.status(none), "a virtual panel always has a picture (black before the first frame)");
        PaneldClient c = r.client();
        try (Session s = c.open("fb0", true); Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, false)) {
            b.fill(0x3366CC);
            b.flip();
        }
        byte[] all;
        try (Socket s = new Socket("127.0.0.1", r.view.port())) {
            s.getOutputStream().write("GET /devices/fb0.png HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            all = HttpRig.readAll(s.getInputStream());
        }
        String head = new String(all, 0, Math.min(all.length, 400), StandardCharsets.ISO_8859_1);
        assertEquals(200, HttpRig.status(head));
        assertTrue(head.toLowerCase().contains("\r\ncontent-type: image/png\r\n"), head);
        int at = head.indexOf("\r\n\r\n") + 4;
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(new ByteArrayInputStream(all, at, all.length - at));
        RgbImage got = RgbImage.from(png);
        assertEquals(r.kit.hardware("fb0", org.paneld.drivers.core.VirtualHardware.class).snapshot(), got);
        assertEquals(0x3366CC, got.get(10, 10));
    }

    @Test
    void metricsParseStrictlyAndMoveWithFrames() throws Exception {
        HttpRig r = rig(null, 2, 10_000);
        Map<String, Double> before = TextFormat.parse(HttpRig.body(r.get("/metrics")));
        for (String name : TextFormat.EXPECTED) {
            assertTrue(before.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{")), "missing " + name + " in " + before.keySet());
        }
        assertEquals(0.0, before.get("paneld_device_frames_total{device=\"fb0\"}"));
        PaneldClient c = r.client();
        try (Session s = c.open("fb0", true); Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, false)) {
            for (int i = 0; i < 3; i++) {
                b.fill(0x102030 * (i + 1));
                b.flip();
            }
            b.flush(new org.paneld.protocol.Message.Region(0, 0, 8, 8));
            Map<String, Double> during = TextFormat.parse(HttpRig.body(r.get("/metrics")));
            assertEquals(1.0, during.get("paneld_server_sessions"));
            assertEquals(1.0, during.get("paneld_server_buffers"));
            assertEquals(1.0, during.get("paneld_server_connections"));
        }
        r.kit.device("fb1");
        r.metrics.flushed(r.kit.device("fb1"), 1, 1, -1, 1000, new DeviceException(Errno.EIO, "injected"));
        Map<String, Double> after = TextFormat.parse(HttpRig.body(r.get("/metrics")));
        assertEquals(4.0, after.get("paneld_device_frames_total{device=\"fb0\"}"));
        assertEquals(3.0 * 64 * 48 + 64, after.get("paneld_device_pixels_total{device=\"fb0\"}"));
        assertEquals(4.0, after.get("paneld_device_flush_seconds_count{device=\"fb0\"}"));
        assertTrue(after.get("paneld_device_flush_seconds_sum{device=\"fb0\"}") > 0);
        assertTrue(after.get("paneld_device_wire_busy_seconds_total{device=\"fb0\"}") > 0);
        assertEquals(1.0, after.get("paneld_device_errors_total{device=\"fb1\",errno=\"EIO\"}"));
        assertEquals(0.0, after.get("paneld_device_frames_total{device=\"fb1\"}"));
        assertTrue(after.get("paneld_server_received_bytes_total") > before.get("paneld_server_received_bytes_total"));
        assertTrue(after.get("paneld_server_requests_total") >= before.get("paneld_server_requests_total") + 6);
        assertTrue(after.get("jvm_memory_used_bytes{area=\"heap\"}") > 0);

        r.kit.bus().remove("fb1"); // surprise removal
        Map<String, Double> gone = TextFormat.parse(HttpRig.body(r.get("/metrics")));
        assertEquals(1.0, gone.get("paneld_device_unplugs_total{device=\"fb1\"}"));
        assertEquals(0.0, gone.get("paneld_device_unplugs_total{device=\"fb0\"}"));
    }

    @Test
    void theStrictReaderRejectsWhatPrometheusWould() {
        List<String> bad = new ArrayList<>(List.of(
                "x 1\n",                                                   // no TYPE
                "# TYPE x gauge\nx{a=\"1} 1\n",                            // unterminated label
                "# TYPE x gauge\nx{a=\"1\"} one\n",                        // value
                "# TYPE x gauge\nx 1\nx 2\n",                              // twice
                "# TYPE x gauge\n# TYPE x gauge\nx 1\n",                   // TYPE twice
                "# TYPE x gauge\nx 1",                                     // no final newline
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n")); // not cumulative
        for (String b : bad) {
            boolean threw = false;
            try {
                TextFormat.parse(b);
            } catch (AssertionError e) {
                threw = true;
            }
            assertTrue(threw, "accepted: " + b);
        }
        assertFalse(TextFormat.parse("# TYPE x gauge\nx{a=\"q\\\"\"} 1\n").isEmpty());
    }
}
