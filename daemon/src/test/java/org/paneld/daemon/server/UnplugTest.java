package org.paneld.daemon.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.paneld.client.Buffer;
import org.paneld.client.EventListener;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFb;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Region;

/**
 * Unplug with sessions open: ENODEV on every request but close/destroy, the UNPLUGGED event to
 * every session, the device object alive until the last session closes, then released exactly
 * once; the kit checks that nothing leaked.
 */
class UnplugTest {
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

    @Test
    void sessionsOutliveTheHardwareAndReleaseHappensAfterTheLastClose() throws Exception {
        PaneldClient a = d.unix();
        PaneldClient b = d.tcp();
        List<Session> unpluggedA = new CopyOnWriteArrayList<>();
        List<Session> unpluggedB = new CopyOnWriteArrayList<>();
        a.addListener(new EventListener() {
            @Override
            public void unplugged(Session s) {
                unpluggedA.add(s);
            }
        });
        b.addListener(new EventListener() {
            @Override
            public void unplugged(Session s) {
                unpluggedB.add(s);
            }
        });
        Session sa = a.open("fb0", true);
        Session sa2 = a.open("fb0", false);
        Session sb = b.open("fb0", false);
        Buffer ba = sa.createBuffer(Message.FOURCC_XRGB8888, true);
        Buffer ba2 = sa.createBuffer(Message.FOURCC_XRGB8888, false);
        Buffer bb = sb.createBuffer(Message.FOURCC_RGB565, false);
        ba.fill(0xFF0000);
        ba.flushAll();
        Device dev = kit.device("fb0");
        assertEquals(4, dev.refCount(), "binding + 3 sessions");
        long writesBefore = kit.hardware("fb0", VirtualFb.class).writes();

        kit.bus().binding("fb0").orElseThrow().yank(); // the cable is pulled

        await().atMost(Duration.ofSeconds(5)).until(() -> unpluggedA.size() == 2 && unpluggedB.size() == 1);
        assertTrue(sa.isUnplugged() && sa2.isUnplugged() && sb.isUnplugged());
        assertFalse(dev.isReleased(), "sessions keep the device object alive");
        assertEquals(3, dev.refCount());

        // every request but close/destroy: ENODEV
        Executable[] refused = {
            () -> sa.info(),
            () -> sa.createBuffer(Message.FOURCC_XRGB8888, false),
            () -> ba.flushAll(),
            () -> ba2.write(0, 0, 1, 1, new byte[4]),
            () -> ba2.flip(),
            () -> sa.setProperty("backlight", 10),
            () -> sa.acquireOwnership(),
            () -> sb.info(),
            () -> bb.flush(new Region(0, 0, 1, 1)),
            () -> bb.write(0, 0, 1, 1, new byte[2]),
            () -> a.open("fb0", true),
        };
        for (int i = 0; i < refused.length; i++) {
            PaneldException e = assertThrows(PaneldException.class, refused[i], "request " + i);
            assertTrue(e.code() == ErrorCode.ENODEV || (i == refused.length - 1 && e.code() == ErrorCode.ENOENT),
                    "request " + i + ": " + e.getMessage());
        }
        assertEquals(writesBefore, kit.hardware("fb0", VirtualFb.class).writes(), "nothing reached the hardware after unplug");

        // destroy and close still work; release only after the last close
        ba.close();
        sa.close();
        assertFalse(dev.isReleased());
        sa2.close();
        assertFalse(dev.isReleased());
        bb.close();
        sb.close();
        await().atMost(Duration.ofSeconds(5)).until(dev::isReleased);
        assertEquals(1, dev.releaseCount());
        assertEquals(0, kit.tracker().liveCount("session"));
        assertEquals(0, d.server.stats().sessions());
        assertEquals(0, d.server.stats().buffers());

        // replug: a fresh device object, usable again
        kit.bus().bind("fb0");
        try (Session s = a.open("fb0", true); Buffer nb = s.createBuffer(Message.FOURCC_XRGB8888, true)) {
            nb.fill(0x0000FF);
            nb.flushAll();
            assertEquals(0x0000FF, d.snapshot("fb0").get(0, 0));
        }
        assertEquals(1, dev.releaseCount());
    }

    @Test
    void connectionDropAfterUnplugReleasesTheDevice() throws Exception {
        PaneldClient a = d.unix();
        Session s = a.open("fb1", true);
        s.createBuffer(Message.FOURCC_XRGB8888, true);
        Device dev = kit.device("fb1");
        a.unplug("fb1");
        await().atMost(Duration.ofSeconds(5)).until(s::isUnplugged);
        assertFalse(dev.isReleased());
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(dev::isReleased);
        assertEquals(1, dev.releaseCount());
    }
}
