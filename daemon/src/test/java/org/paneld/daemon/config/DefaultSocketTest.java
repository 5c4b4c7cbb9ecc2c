package org.paneld.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultSocketTest {
    @Test
    void perUserPrefersXdgRuntimeDir(@TempDir Path xdg) {
        assertEquals(xdg.resolve("paneld.sock"), DefaultSocket.perUser(Map.of("XDG_RUNTIME_DIR", xdg.toString(), "USER", "ann")));
    }

    @Test
    void perUserFallsBackToTmp() {
        assertEquals(Path.of("/tmp/paneld-ann/paneld.sock"), DefaultSocket.perUser(Map.of("USER", "ann")));
        assertEquals(Path.of("/tmp/paneld-ann/paneld.sock"),
                DefaultSocket.perUser(Map.of("USER", "ann", "XDG_RUNTIME_DIR", "/does/not/exist")));
    }

    @Test
    void clientHonoursPaneldSocket() {
        assertEquals(Path.of("/x/y.sock"), DefaultSocket.forClient(Map.of("PANELD_SOCKET", "/x/y.sock")));
    }
}
