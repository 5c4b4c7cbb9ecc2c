package org.paneld.daemon.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The groups of a Unix-socket peer: SO_PEERCRED (what Netty's {@code PeerCredentials} reads)
 * carries only the primary gid, so the supplementary groups come from the {@code Groups:} line
 * of the peer's {@code /proc/PID/status}, read once at connect. The line is trusted only when the
 * same file's effective {@code Uid:} and {@code Gid:} match the socket's credentials (guards
 * against a reused pid or a peer that changed identity); otherwise, or when the file cannot be
 * read (the peer already exited, another pid namespace, {@code hidepid}), the peer has only its
 * primary gid — access can only be narrower, never wider. Stateless; any thread.
 */
final class PeerGroups {
    private PeerGroups() {
    }

    /** The primary gid first, then the supplementary groups (no duplicates). */
    static int[] of(int pid, int uid, int gid) {
        if (pid <= 0) {
            return new int[] {gid};
        }
        try {
            return parse(Files.readString(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8), uid, gid);
        } catch (IOException | RuntimeException e) {
            return new int[] {gid};
        }
    }

    /** Parses a {@code /proc/PID/status} text; see the class comment for when the groups are trusted. */
    static int[] parse(String status, int uid, int gid) {
        String uids = null;
        String gids = null;
        String groups = null;
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                uids = line.substring(4).trim();
            } else if (line.startsWith("Gid:")) {
                gids = line.substring(4).trim();
            } else if (line.startsWith("Groups:")) {
                groups = line.substring(7).trim();
            }
        }
        if (uids == null || gids == null || groups == null || effective(uids) != uid || effective(gids) != gid) {
            return new int[] {gid};
        }
        int[] out = new int[1 + (groups.isEmpty() ? 0 : groups.split("\\s+").length)];
        int n = 0;
        out[n++] = gid;
        if (!groups.isEmpty()) {
            for (String g : groups.split("\\s+")) {
                int v = (int) Long.parseLong(g); // gids above 2^31 wrap as in the kernel's u32
                if (v != gid) {
                    out[n++] = v;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The second of the four ids (real, effective, saved, filesystem). */
    private static int effective(String ids) {
        String[] f = ids.split("\\s+");
        return f.length < 2 ? Integer.MIN_VALUE : (int) Long.parseLong(f[1]);
    }
}
