package org.paneld.daemon.systemd;

import java.util.Map;
import java.util.OptionalInt;

/**
 * systemd socket activation ({@code sd_listen_fds}): when {@code $LISTEN_PID} is this process and
 * {@code $LISTEN_FDS} ≥ 1, the listening socket is file descriptor 3 (SD_LISTEN_FDS_START).
 * Stateless; any thread.
 */
public final class SocketActivation {
    /** The first passed fd. */
    public static final int FIRST_FD = 3;

    private SocketActivation() {
    }

    /** The inherited listening fd, when systemd passed one to this process. */
    public static OptionalInt listenFd(Map<String, String> env) {
        return listenFd(env, ProcessHandle.current().pid());
    }

    static OptionalInt listenFd(Map<String, String> env, long myPid) {
        String pid = env.get("LISTEN_PID");
        String fds = env.get("LISTEN_FDS");
        if (pid == null || fds == null) {
            return OptionalInt.empty();
        }
        try {
            if (Long.parseLong(pid.trim()) != myPid || Integer.parseInt(fds.trim()) < 1) {
                return OptionalInt.empty();
            }
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(FIRST_FD);
    }

    /** How many fds were passed (0 when none are for this process). */
    public static int count(Map<String, String> env, long myPid) {
        if (listenFd(env, myPid).isEmpty()) {
            return 0;
        }
        return Integer.parseInt(env.get("LISTEN_FDS").trim());
    }
}
