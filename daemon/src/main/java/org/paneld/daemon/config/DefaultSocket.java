package org.paneld.daemon.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon listens and where panelctl connects when no socket is named. One rule for
 * both (this class is also shipped in panelctl.jar): the system path
 * {@code /run/paneld/paneld.sock} when its directory can be used (the service's
 * RuntimeDirectory), otherwise a per-user path: {@code $XDG_RUNTIME_DIR/paneld.sock}, or
 * {@code /tmp/paneld-$USER/paneld.sock} when XDG_RUNTIME_DIR is not set (a developer running the
 * README's command as a normal user). Stateless; any thread.
 */
public final class DefaultSocket {
    /** The socket of the installed service. */
    public static final Path SYSTEM = Path.of("/run/paneld/paneld.sock");

    private DefaultSocket() {
    }

    /**
     * The daemon's default: {@link #SYSTEM} when /run/paneld is a writable directory or can be
     * created, else {@link #perUser}.
     */
    public static Path forDaemon(Map<String, String> env) {
        Path dir = SYSTEM.getParent();
        if (Files.isDirectory(dir) ? Files.isWritable(dir) : Files.isWritable(dir.getParent())) {
            return SYSTEM;
        }
        return perUser(env);
    }

    /**
     * panelctl's default: {@code $PANELD_SOCKET} when set, {@link #SYSTEM} when it exists,
     * else the per-user path (whether or not it exists: the error then names it).
     */
    public static Path forClient(Map<String, String> env) {
        String explicit = env.get("PANELD_SOCKET");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        if (Files.exists(SYSTEM)) {
            return SYSTEM;
        }
        Path user = perUser(env);
        if (Files.exists(user)) {
            return user;
        }
        // Neither exists: a daemon that could use /run/paneld would be there.
        return forDaemon(env);
    }

    /** {@code $XDG_RUNTIME_DIR/paneld.sock}, or {@code /tmp/paneld-$USER/paneld.sock}. */
    public static Path perUser(Map<String, String> env) {
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty() && Files.isDirectory(Path.of(xdg))) {
            return Path.of(xdg, "paneld.sock");
        }
        String user = env.get("USER");
        if (user == null || user.isEmpty()) {
            user = System.getProperty("user.name", "user");
        }
        return Path.of("/tmp", "paneld-" + user, "paneld.sock");
    }
}
