package org.paneld.daemon.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketActivationTest {
    @Test
    void fd3WhenThePidMatches() {
        assertEquals(3, SocketActivation.listenFd(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1"), 42).getAsInt());
        assertEquals(2, SocketActivation.count(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2"), 42));
    }

    @Test
    void nothingForAnotherPidOrNoFds() {
        assertTrue(SocketActivation.listenFd(Map.of("LISTEN_PID", "41", "LISTEN_FDS", "1"), 42).isEmpty());
        assertTrue(SocketActivation.listenFd(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "0"), 42).isEmpty());
        assertTrue(SocketActivation.listenFd(Map.of("LISTEN_FDS", "1"), 42).isEmpty());
        assertTrue(SocketActivation.listenFd(Map.of("LISTEN_PID", "x", "LISTEN_FDS", "1"), 42).isEmpty());
    }
}
