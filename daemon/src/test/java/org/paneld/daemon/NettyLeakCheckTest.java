package org.paneld.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.paneld.protocol.NettyLeakCheck;

/** The leak check (protocol's test-jar, registered through its META-INF/services) can fail in the daemon's runs too: tests run at paranoid, and a buffer never released is recorded. */
class NettyLeakCheckTest {

    @Test
    void testsRunAtParanoid() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
                "io.netty.leakDetection.level=paranoid is set for surefire and failsafe in the parent pom");
    }

    @Test
    void aBufferNeverReleasedIsRecorded() throws InterruptedException {
        NettyLeakCheck.drain();
        leakOne();
        List<String> leaks = List.of();
        for (int i = 0; i < 50 && leaks.isEmpty(); i++) {
            NettyLeakCheck.sweep();
            leaks = NettyLeakCheck.drain();
        }
        assertFalse(leaks.isEmpty(), "the leaked buffer was not reported");
        assertTrue(leaks.get(0).startsWith("LEAK: ByteBuf.release() was not called"), leaks.get(0));
        assertTrue(leaks.get(0).contains("leakOne"), "the records name where it was touched: " + leaks.get(0));
    }

    private static void leakOne() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
        buf.writeInt(42); // touched here, then dropped without release()
    }
}
