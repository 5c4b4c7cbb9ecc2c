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
import org.paneld.client.Buffer;
import org.paneld.client.EventListener;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Message;

/** Two clients on one panel: one owner at a time, EBUSY for the other, ownership passes as PROTOCOL.md says. */
class OwnershipTest {
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
    void oneOwnerAtATimeAndOwnershipPassesOnReleaseAndClose() throws Exception {
        PaneldClient a = d.unix();
        PaneldClient b = d.tcp();
        List<Session> gained = new CopyOnWriteArrayList<>();
        b.addListener(new EventListener() {
            @Override
            public void ownership(Session s, boolean owner) {
                gained.add(s);
            }
        });
        Session sa = a.open("fb0", true);
        Session sb = b.open("fb0", true);
        assertTrue(sa.isOwner(), "first opener asking for ownership gets it");
        assertFalse(sb.isOwner(), "second one is queued");
        Buffer ba = sa.createBuffer(Message.FOURCC_XRGB8888, true);
        Buffer bb = sb.createBuffer(Message.FOURCC_XRGB8888, false);
        bb.fill(0x00FF00); // writing into one's own buffer is allowed
        ba.fill(0xFF0000);
        ba.flushAll();

        assertEquals(ErrorCode.EBUSY, assertThrows(PaneldException.class, bb::flushAll).code());
        assertEquals(ErrorCode.EBUSY, assertThrows(PaneldException.class, bb::flip).code());
        assertEquals(ErrorCode.EBUSY, assertThrows(PaneldException.class, () -> sb.setProperty("backlight", 5)).code());
        assertEquals(ErrorCode.EBUSY, assertThrows(PaneldException.class, sb::acquireOwnership).code());
        assertEquals(0xFF0000, d.snapshot("fb0").get(5, 5), "the non-owner did not reach the panel");

        // explicit release: the oldest waiting session gets it, with an OWNERSHIP event
        sa.releaseOwnership();
        await().atMost(Duration.ofSeconds(5)).until(() -> gained.contains(sb) && sb.isOwner());
        bb.flushAll();
        assertEquals(0x00FF00, d.snapshot("fb0").get(5, 5));
        assertEquals(ErrorCode.EBUSY, assertThrows(PaneldException.class, ba::flushAll).code());

        // a opens a third session asking for ownership; b closes -> it passes to a's waiting session
        Session sa2 = a.open("fb0", true);
        assertFalse(sa2.isOwner());
        sb.close();
        await().atMost(Duration.ofSeconds(5)).until(sa2::isOwner);
        assertFalse(sa.isOwner(), "a released and did not ask again");
        // a connection drop passes ownership too
        PaneldClient c = d.unix();
        Session sc = c.open("fb0", true);
        assertFalse(sc.isOwner());
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(sc::isOwner);
        try (Buffer bc = sc.createBuffer(Message.FOURCC_RGB565, true)) {
            bc.fill(0x0000FF);
            bc.flushAll();
        }
        assertEquals(0x0000FF, d.snapshot("fb0").get(63, 47));
        // different panels have independent owners
        Session other = c.open("fb1", true);
        assertTrue(other.isOwner());
    }
}
