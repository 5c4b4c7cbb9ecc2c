package org.paneld.daemon.session;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;

/**
 * The race the size check cannot close: the client shrinks the file after the check. The daemon
 * reads with pread, never through a mapping, so this is a short read (EINVAL), not a SIGBUS.
 */
class ClientBufferFaultTest {
    @Test
    void shrinkAfterTheCheckIsAShortReadNotACrash() throws Exception {
        SharedMemory mem = SharedMemory.allocate(64 * 64 * 4);
        ClientBuffer b = new ClientBuffer(1, 64, 64, PixelFormat.XRGB8888, mem);
        io.netty.channel.unix.FileDescriptor fd = mem.takeFd();
        try {
            Path self = Path.of("/proc/self/fd/" + fd.intValue());
            try (FileChannel fc = FileChannel.open(self, StandardOpenOption.WRITE)) {
                fc.truncate(0);
            }
            DeviceException e = assertThrows(DeviceException.class, () -> b.copyDamage(new Rect(0, 32, 64, 32)));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            // and the checked path says "truncated"
            DeviceException e2 = assertThrows(DeviceException.class, () -> b.prepare(new Rect(0, 0, 1, 1)));
            assertTrue(e2.getMessage().contains("truncated"), e2.getMessage());
        } finally {
            fd.close();
            b.destroy();
        }
    }
}
