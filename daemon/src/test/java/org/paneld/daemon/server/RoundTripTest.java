package org.paneld.daemon.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.paneld.client.Buffer;
import org.paneld.client.EventListener;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.virtual.VirtualFb;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.*;

/** Every request and event, over the real Unix socket (epoll) and TCP transports, against virtual-fb panels. */
class RoundTripTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver());
    TestDaemon d;

    @BeforeEach
    void start() throws Exception {
        d = new TestDaemon(kit);
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    @ParameterizedTest(name = "unix={0}")
    @ValueSource(booleans = {true, false})
    void everyRequestAndEvent(boolean unix) throws Exception {
        PaneldClient c = d.client(unix);
        List<Message> events = new CopyOnWriteArrayList<>();
        c.addListener(new EventListener() {
            @Override
            public void event(Message e) {
                events.add(e);
            }
        });
        assertEquals(Message.VERSION, c.serverInfo().version());
        assertEquals(unix, c.canShare(), "fd passing only on the Unix socket");
        assertEquals(unix, (c.serverInfo().flags() & Message.HELLO_ADMIN) != 0, "admin to own uid on Unix, never on TCP by default");

        List<DeviceEntry> list = c.listDevices();
        assertEquals(List.of("fb0", "fb1"), list.stream().map(DeviceEntry::name).toList());
        assertEquals(64, list.get(0).width());
        Info info = c.info("fb0");
        assertEquals("virtual-fb", info.driver());
        assertEquals(48, info.height());
        assertTrue(info.formats().contains(Message.FOURCC_XRGB8888) && info.formats().contains(Message.FOURCC_RGB565));
        assertTrue(info.properties().stream().anyMatch(p -> p.name().equals("backlight") && p.max() == 100));
        assertEquals(ErrorCode.ENOENT, assertThrows(PaneldException.class, () -> c.info("nope")).code());

        try (Session s = c.open("fb0", true)) {
            assertTrue(s.isOwner());
            assertEquals(64, s.width());
            assertEquals("virtual-fb", s.info().driver());
            for (boolean shared : new boolean[] {false, true}) {
                for (int fourcc : new int[] {Message.FOURCC_XRGB8888, Message.FOURCC_RGB565}) {
                    try (Buffer b = s.createBuffer(fourcc, shared)) {
                        assertEquals(shared && unix, b.isShared());
                        int colour = fourcc == Message.FOURCC_XRGB8888 ? 0x123456 : 0xFF00FF;
                        b.fill(colour);
                        b.flush(new Region(8, 4, 16, 8), new Region(40, 30, 4, 4));
                        RgbImage img = d.snapshot("fb0");
                        assertEquals(colour, img.get(8, 4));
                        assertEquals(colour, img.get(23, 11));
                        assertEquals(colour, img.get(43, 33));
                        assertNotEquals(colour, img.get(30, 20), "outside the damage stays as it was");
                        // write a small rectangle, flush just it
                        byte[] px = new byte[2 * 2 * b.bytesPerPixel()];
                        java.util.Arrays.fill(px, (byte) 0xFF);
                        b.write(1, 1, 2, 2, px);
                        b.flush(new Region(1, 1, 2, 2));
                        assertEquals(0xFFFFFF, d.snapshot("fb0").get(2, 2));
                        // page flip: whole buffer, completion event
                        b.fill(0x00FF00);
                        FlipComplete fc = b.flip();
                        assertNull(fc.error());
                        assertEquals(b.handle(), fc.buffer());
                        assertEquals(0x00FF00, d.snapshot("fb0").get(63, 47));
                    }
                }
            }
            s.setProperty("backlight", 40);
            assertEquals(40, kit.hardware("fb0", VirtualFb.class).backlight());
            assertEquals(ErrorCode.EINVAL, assertThrows(PaneldException.class, () -> s.setProperty("backlight", 101)).code());
            assertEquals(ErrorCode.ENOENT, assertThrows(PaneldException.class, () -> s.setProperty("contrast", 1)).code());
            s.releaseOwnership();
            assertFalse(s.isOwner());
            s.acquireOwnership();
            assertTrue(s.isOwner());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> d.server.stats().sessions() == 0);
        assertTrue(events.stream().anyMatch(e -> e instanceof FlipComplete), "flip events delivered: " + events);

        // device added / removed events, admin requests (Unix only by default)
        c.subscribe(Message.SUB_DEVICE_ADDED | Message.SUB_DEVICE_REMOVED);
        if (unix) {
            List<String> status = c.status();
            assertTrue(status.stream().anyMatch(l -> l.startsWith("device fb0#")), String.join("\n", status));
            assertTrue(status.stream().anyMatch(l -> l.startsWith("server connections=")), String.join("\n", status));
            c.unbind("fb1");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains(new DeviceRemoved("fb1")));
            c.bind("fb1");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains(new DeviceAdded("fb1")));
            Snapshot snap = c.snapshot("fb0");
            assertEquals(64, snap.width());
            assertNull(d.snapshot("fb0").firstDifference(new RgbImage(snap.width(), snap.height(), snap.rgb())));
            c.unplug("fb1");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().filter(e -> e.equals(new DeviceRemoved("fb1"))).count() == 2);
            c.replug("fb1");
            assertEquals(2, c.listDevices().size());
        } else {
            assertEquals(ErrorCode.EACCES, assertThrows(PaneldException.class, c::status).code());
            assertEquals(ErrorCode.EACCES, assertThrows(PaneldException.class, () -> c.unbind("fb1")).code());
            kit.bus().unbind("fb1");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains(new DeviceRemoved("fb1")));
            kit.bus().bind("fb1");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains(new DeviceAdded("fb1")));
        }
        assertTrue(d.server.stats().bytesIn() > 0 && d.server.stats().bytesOut() > 0);
    }

    @ParameterizedTest(name = "unix={0}")
    @ValueSource(booleans = {true, false})
    void asyncApiPipelines(boolean unix) throws Exception {
        PaneldClient c = d.client(unix);
        Session s = c.openAsync("fb1", true).get();
        Buffer b = s.createBufferAsync(Message.FOURCC_XRGB8888, true).get();
        b.fill(0x445566);
        var flushes = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Void>>();
        for (int i = 0; i < 50; i++) {
            flushes.add(b.flushAsync(List.of(new Region(i % 32, i % 16, 1, 1))));
        }
        java.util.concurrent.CompletableFuture.allOf(flushes.toArray(new java.util.concurrent.CompletableFuture<?>[0])).get();
        assertEquals(0x445566, d.snapshot("fb1").get(31, 15));
        b.closeAsync().get();
        s.closeAsync().get();
    }

    @ParameterizedTest(name = "unix={0}")
    @ValueSource(booleans = {true, false})
    void closingTheConnectionClosesSessionsAndDropsReferences(boolean unix) throws Exception {
        PaneldClient c = d.client(unix);
        Session s = c.open("fb0", true);
        s.createBuffer(Message.FOURCC_RGB565, true);
        assertEquals(2, kit.device("fb0").refCount(), "binding + session");
        c.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> kit.device("fb0").refCount() == 1 && d.server.stats().buffers() == 0);
        assertEquals(0, kit.tracker().liveCount("session"));
    }
}
