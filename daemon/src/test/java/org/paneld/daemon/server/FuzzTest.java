package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.Session;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.Message;

/**
 * Random frames (valid header, random type and payload; also random raw bytes) from many
 * connections: the daemon answers or closes those connections, never anything else, and a
 * well-behaved client keeps drawing throughout; nothing leaks (the kit checks).
 */
class FuzzTest {
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
    void randomFramesNeverHurtTheDaemonOrAnotherClient() throws Exception {
        PaneldClient good = d.unix();
        Session gs = good.open("fb0");
        Buffer gb = gs.createBuffer(Message.FOURCC_XRGB8888, true);
        Random rnd = new Random(4);
        int[] types = {0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x0009, 0x000A, 0x000B, 0x000C, 0x000D,
            0x000E, 0x000F, 0x0010, 0x0020, 0x0021, 0x0025, 0x8001, 0x4001, 0x7FFF, 0x1234};
        for (int conn = 0; conn < 40; conn++) {
            try (RawClient c = RawClient.hello(d.socket)) {
                c.send(new Message.Open(0, "fb" + (conn % 2)));
                c.read();
                c.send(new Message.CreateBuffer(1, conn % 2 == 0 ? 64 : 32, conn % 2 == 0 ? 48 : 16, Message.FOURCC_RGB565, 0));
                c.read();
                for (int i = 0; i < 25; i++) {
                    byte[] payload = new byte[rnd.nextInt(48)];
                    rnd.nextBytes(payload);
                    // small ints make the handles and sizes plausible often enough to get past the lookups
                    for (int k = 0; k + 4 <= payload.length; k += 4) {
                        if (rnd.nextBoolean()) {
                            payload[k] = (byte) rnd.nextInt(3);
                            payload[k + 1] = payload[k + 2] = payload[k + 3] = 0;
                        }
                    }
                    try {
                        if (rnd.nextInt(20) == 0) {
                            byte[] junk = new byte[rnd.nextInt(40)];
                            rnd.nextBytes(junk);
                            c.sendBytes(junk);
                        } else {
                            c.sendBytes(RawClient.frame(types[rnd.nextInt(types.length)], i + 100, payload));
                        }
                    } catch (java.io.IOException closed) {
                        break; // the daemon closed this connection after a fatal error: fine
                    }
                }
            }
            int colour = 0x010203 * (conn + 1);
            gb.fill(colour);
            gb.flushAll();
            assertEquals(colour & 0xFFFFFF, d.snapshot("fb0").get(1, 1), "after fuzz connection " + conn);
        }
        assertTrue(good.isOpen());
        assertEquals(1, good.listDevices().stream().filter(e -> e.name().equals("fb0")).count());
    }
}
