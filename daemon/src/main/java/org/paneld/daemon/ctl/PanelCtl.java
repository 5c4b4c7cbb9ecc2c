package org.paneld.daemon.ctl;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.daemon.config.DefaultSocket;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.DeviceEntry;
import org.paneld.protocol.Message.Info;
import org.paneld.protocol.Message.Property;
import org.paneld.protocol.Message.Snapshot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code panelctl}, the command line client: {@code java -jar panelctl.jar [--socket PATH]
 * COMMAND}. Output is for people and scripts: {@code list} prints one device a line, name first;
 * {@code info} prints {@code key=value} lines. Exit status: 0 ok, 1 the daemon refused (one line
 * with the error code and message), 2 bad usage, 3 cannot connect, 4 malformed stream input
 * ({@link StreamCmd}). Client-only (ships in
 * panelctl.jar without drivers, Pi4J or usb4java). Lifetime: one command. Threads: main.
 */
@Command(name = "panelctl", mixinStandardHelpOptions = true, version = "panelctl 0.1.0",
        description = "Talks to paneld: lists panels, draws on them, reads back what virtual panels show, administers devices.",
        subcommands = {PanelCtl.ListCmd.class, PanelCtl.InfoCmd.class, PanelCtl.FillCmd.class, PanelCtl.DrawCmd.class,
                PanelCtl.SnapshotCmd.class, PanelCtl.SetCmd.class, PanelCtl.StatusCmd.class, PanelCtl.BindCmd.class,
                PanelCtl.UnbindCmd.class, PanelCtl.UnplugCmd.class, PanelCtl.ReplugCmd.class, TouchCommands.TouchCmd.class,
                TouchCommands.TapCmd.class, TouchCommands.SwipeCmd.class, TouchCommands.CalibrateCmd.class, StreamCmd.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:ok", "1:paneld refused the request (the message says why)", "2:bad usage", "3:cannot connect to paneld",
                "4:stream: the input is malformed (the message names the frame and the byte offset)"},
        footer = {"", "Default socket: $PANELD_SOCKET, else /run/paneld/paneld.sock when it exists, else "
                + "$XDG_RUNTIME_DIR/paneld.sock or /tmp/paneld-$USER/paneld.sock (where paneld listens when run by a normal user)."})
public final class PanelCtl implements Callable<Integer> {
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int NO_CONNECTION = 3;
    static final int MALFORMED = 4;

    @Option(names = {"-s", "--socket"}, paramLabel = "PATH", scope = CommandLine.ScopeType.INHERIT,
            description = "paneld's Unix socket (see the default below)")
    Path socket;

    @Option(names = "--tcp", paramLabel = "HOST:PORT", scope = CommandLine.ScopeType.INHERIT,
            description = "connect over TCP instead (when paneld has [server] tcp)")
    String tcp;

    @Option(names = "--timeout", paramLabel = "SECONDS", scope = CommandLine.ScopeType.INHERIT, defaultValue = "60",
            description = "give up waiting for paneld after this long (default ${DEFAULT-VALUE}; an e-paper refresh takes seconds)")
    int timeoutSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line; returns the exit status. */
    public static int run(String... args) {
        quietLogging();
        CommandLine cl = new CommandLine(new PanelCtl());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof Refused) {
                err.println("panelctl: " + e.getMessage());
                return REFUSED;
            }
            if (e instanceof NoConnection) {
                err.println("panelctl: " + e.getMessage());
                return NO_CONNECTION;
            }
            if (e instanceof MalformedStreamException) {
                err.println("panelctl: stream: " + e.getMessage());
                return MALFORMED;
            }
            if (e instanceof IllegalArgumentException) {
                err.println("panelctl: " + e.getMessage());
                return USAGE;
            }
            err.println("panelctl: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return REFUSED;
        });
        return cl.execute(args);
    }

    private static void quietLogging() {
        LogManager.getLogManager().reset();
        Logger.getLogger("").setLevel(Level.SEVERE);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    PaneldClient connect() throws NoConnection {
        PaneldClient c = open();
        c.setTimeout(Math.max(1, timeoutSeconds) * 1000L);
        return c;
    }

    private PaneldClient open() throws NoConnection {
        if (tcp != null) {
            int colon = tcp.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--tcp wants HOST:PORT, got '" + tcp + "'");
            }
            int port;
            try {
                port = Integer.parseInt(tcp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--tcp wants HOST:PORT, got '" + tcp + "'");
            }
            try {
                return PaneldClient.connectTcp(tcp.substring(0, colon), port);
            } catch (PaneldException e) {
                throw refusedConnection("tcp " + tcp, e);
            } catch (IOException e) {
                throw new NoConnection("cannot connect to paneld at tcp " + tcp + ": " + strip(e));
            }
        }
        Path p = socket != null ? socket : DefaultSocket.forClient(System.getenv());
        try {
            return PaneldClient.connect(p);
        } catch (PaneldException e) {
            throw refusedConnection(p.toString(), e);
        } catch (IOException e) {
            throw new NoConnection("cannot connect to paneld at " + p + ": " + strip(e)
                    + (socket == null ? " (is paneld running? --socket PATH or $PANELD_SOCKET name another socket)" : ""));
        }
    }

    /**
     * A failed connect: when the daemon answered with its own ERROR (e.g. EBUSY, too many
     * connections) that is a refusal (exit 1, its message printed); a broken connection (EIO) or
     * no answer in time (ETIMEDOUT) is a {@link NoConnection}.
     */
    private RuntimeException refusedConnection(String where, PaneldException e) throws NoConnection {
        if (e.code() == org.paneld.protocol.ErrorCode.EIO || e.code() == org.paneld.protocol.ErrorCode.ETIMEDOUT) {
            throw new NoConnection("cannot connect to paneld at " + where + ": " + strip(e)
                    + (socket == null && tcp == null ? " (is paneld running? --socket PATH or $PANELD_SOCKET name another socket)" : ""));
        }
        return new Refused("paneld at " + where + " refused the connection", e);
    }

    private static String strip(IOException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replaceFirst("^EIO: ", "");
    }

    /** The daemon answered with an error. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String what, PaneldException e) {
            super((what == null ? "" : what + ": ") + e.getMessage());
        }
    }

    /** The daemon cannot be reached. */
    static final class NoConnection extends Exception {
        private static final long serialVersionUID = 1L;

        NoConnection(String message) {
            super(message);
        }
    }

    /** A request against the daemon, translating its errors into {@link Refused}. */
    interface Action<T> {
        T run(PaneldClient c) throws PaneldException;
    }

    <T> T withClient(String what, Action<T> a) throws NoConnection {
        try (PaneldClient c = connect()) {
            return a.run(c);
        } catch (PaneldException e) {
            throw new Refused(what, e);
        }
    }

    static String state(int flags) {
        if ((flags & Message.DEVICE_UNPLUGGED) != 0) {
            return "unplugged";
        }
        return (flags & Message.DEVICE_CONNECTED) != 0 ? "connected" : "disconnected";
    }

    /** Draws {@code rgb} (0xRRGGBB, panel-sized) on {@code device} as its owner, and waits for the flush. */
    static void show(PaneldClient c, String device, RgbSource source) throws PaneldException {
        try (Session s = c.open(device, true)) {
            int[] rgb = source.pixels(s.width(), s.height());
            try (Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, false)) {
                b.writeRgb(rgb);
                b.flushAll();
            }
        }
    }

    /** Pixels for a panel of the given size. */
    interface RgbSource {
        int[] pixels(int width, int height);
    }

    // ------------------------------------------------------------------ commands

    @Command(name = "list", description = "One device a line, sorted by name: NAME DRIVER WIDTHxHEIGHT STATE [owned].")
    static final class ListCmd implements Callable<Integer> {
        @ParentCommand
        PanelCtl parent;

        @Override
        public Integer call() throws Exception {
            List<DeviceEntry> all = new ArrayList<>(parent.withClient(null, PaneldClient::listDevices));
            all.sort(java.util.Comparator.comparing(DeviceEntry::name));
            PrintWriter out = parent.spec.commandLine().getOut();
            for (DeviceEntry d : all) {
                out.println(d.name() + " " + d.driver() + " " + d.width() + "x" + d.height() + " " + state(d.flags())
                        + ((d.flags() & Message.DEVICE_OWNED) != 0 ? " owned" : ""));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "info", description = "key=value lines: name, driver, width, height, state, formats, properties …")
    static final class InfoCmd implements Callable<Integer> {
        @ParentCommand
        PanelCtl parent;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            Info i = parent.withClient(name, c -> c.info(name));
            PrintWriter out = parent.spec.commandLine().getOut();
            for (String l : infoLines(i)) {
                out.println(l);
            }
            out.flush();
            return 0;
        }
    }

    static List<String> infoLines(Info i) {
        List<String> l = new ArrayList<>();
        l.add("name=" + i.name());
        l.add("driver=" + i.driver());
        l.add("width=" + i.width());
        l.add("height=" + i.height());
        l.add("width_mm=" + i.widthMm());
        l.add("height_mm=" + i.heightMm());
        l.add("rotation=" + i.rotation());
        l.add("state=" + state(i.flags()));
        l.add("owned=" + ((i.flags() & Message.DEVICE_OWNED) != 0 ? 1 : 0));
        l.add("panel_format=" + i.panelFormat());
        l.add("update=" + i.updateClass());
        l.add("touch=" + ((i.flags() & Message.DEVICE_TOUCH) != 0 ? 1 : 0));
        List<String> f = new ArrayList<>();
        for (int x : i.formats()) {
            f.add(Message.formatName(x));
        }
        l.add("formats=" + String.join(",", f));
        for (Property p : i.properties()) {
            l.add("property." + p.name() + "=" + p.value());
            l.add("property." + p.name() + ".range=" + p.min() + ".." + p.max());
        }
        return l;
    }

    @Command(name = "fill", description = "Fills the whole panel with COLOR (#rrggbb, #rgb or a name such as red).")
    static final class FillCmd implements Callable<Integer> {
        @ParentCommand
        PanelCtl parent;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "COLOR")
        String color;

        @Override
        public Integer call() throws Exception {
            int rgb = Colors.parse(color);
            parent.withClient(name, c -> {
                show(c, name, (w, h) -> {
                    int[] px = new int[w * h];
                    java.util.Arrays.fill(px, rgb);
                    return px;
                });
                return null;
            });
            return 0;
        }
    }

    @Command(name = "draw", description = {"Draws an image file (PNG, JPEG, GIF, BMP), scaled to fit, letterboxed in black.",
            "The image is scaled to fit the panel preserving its aspect ratio, centred, with black bars where it does",
            "not fill the panel; an image of exactly the panel's size is drawn pixel for pixel."})
    static final class DrawCmd implements Callable<Integer> {
        @ParentCommand
        PanelCtl parent;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "IMAGE")
        Path image;

        @Override
        public Integer call() throws Exception {
            java.awt.image.BufferedImage img;
            try {
                img = Images.read(image);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            parent.withClient(name, c -> {
                show(c, name, (w, h) -> Images.fit(img, w, h));
                return null;
            });
            return 0;
        }
    }

    @Command(name = "snapshot", description = {"Writes what a virtual panel shows to a PNG file.",
            "The pixels come from the panel emulator (decoded from what the driver sent), not from a client's buffer."})
    static final class SnapshotCmd implements Callable<Integer> {
        @ParentCommand
        PanelCtl parent;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "OUT.png")
        Path out;

        @Override
        public Integer call() throws Exception {
            Snapshot s = parent.withClient(name, c -> c.snapshot(name));
            try {
                Images.writePng(s.width(), s.height(), s.rgb(), out);
            } catch (IOException e) {
                throw new IllegalArgumentException(out + ": cannot write: " + e.getMessage());
            }
            return 0;
        }
    }

    @Command(name = "set", description = "Sets a property, e.g. 'set lcd0 backlight 50' or 'set lcd0 power 0'.")
    static final class SetCmd implements Callable<Integer> {
        @ParentCommand
        PanelCtl parent;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "PROPERTY")
        String property;
        @Parameters(index = "2", paramLabel = "VALUE")
        long value;

        @Override
        public Integer call() throws Exception {
            parent.withClient(name, c -> {
                // like fill and draw: owner for the moment it sets (SET_PROPERTY is the owner's);
                // when another client owns the panel the daemon's EBUSY is printed
                try (Session s = c.open(name, true)) {
                    s.setProperty(property, value);
                }
                return null;
            });
            return 0;
        }
    }

    @Command(name = "status", description = "The daemon's status: devices, bindings, sessions, references, bytes moved (admin).")
    static final class StatusCmd implements Callable<Integer> {
        @ParentCommand
        PanelCtl parent;

        @Override
        public Integer call() throws Exception {
            List<String> lines = parent.withClient(null, PaneldClient::status);
            PrintWriter out = parent.spec.commandLine().getOut();
            lines.forEach(out::println);
            out.flush();
            return 0;
        }
    }

    /** bind, unbind, unplug, replug: one admin request that names a device. */
    abstract static class DeviceAdminCmd implements Callable<Integer> {
        @ParentCommand
        PanelCtl parent;
        @Parameters(paramLabel = "NAME")
        String name;

        abstract void request(PaneldClient c, String device) throws PaneldException;

        @Override
        public Integer call() throws Exception {
            parent.withClient(name, c -> {
                request(c, name);
                return null;
            });
            return 0;
        }
    }

    @Command(name = "bind", description = "Binds a device to its driver (admin).")
    static final class BindCmd extends DeviceAdminCmd {
        @Override
        void request(PaneldClient c, String device) throws PaneldException {
            c.bind(device);
        }
    }

    @Command(name = "unbind", description = "Orderly unbind: backlight off, display off, unplug, release the hardware (admin).")
    static final class UnbindCmd extends DeviceAdminCmd {
        @Override
        void request(PaneldClient c, String device) throws PaneldException {
            c.unbind(device);
        }
    }

    @Command(name = "unplug", description = "Virtual devices: simulates pulling the cable (admin).")
    static final class UnplugCmd extends DeviceAdminCmd {
        @Override
        void request(PaneldClient c, String device) throws PaneldException {
            c.unplug(device);
        }
    }

    @Command(name = "replug", description = "Virtual devices: plugs an unplugged device back in and binds it (admin).")
    static final class ReplugCmd extends DeviceAdminCmd {
        @Override
        void request(PaneldClient c, String device) throws PaneldException {
            c.replug(device);
        }
    }
}
