package org.paneld.daemon;

import com.pi4j.context.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.paneld.daemon.config.Backend;
import org.paneld.daemon.config.ConfigLoader;
import org.paneld.daemon.config.DefaultSocket;
import org.paneld.daemon.config.HttpConfig;
import org.paneld.daemon.http.HttpMetrics;
import org.paneld.daemon.http.HttpView;
import org.paneld.daemon.config.Defaults;
import org.paneld.daemon.config.PanelConfig;
import org.paneld.daemon.config.PaneldConfig;
import org.paneld.daemon.config.ServerConfig;
import org.paneld.daemon.server.AccessList;
import org.paneld.daemon.server.PaneldServer;
import org.paneld.daemon.server.ServerOptions;
import org.paneld.daemon.systemd.SdNotify;
import org.paneld.daemon.systemd.SocketActivation;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.BusListener;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.InitTable;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.core.VirtualHardwareRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon: its start-up table and everything the table starts. Steps, in order:
 * <ol>
 *   <li>{@code config} — read and validate the config, check that no other paneld answers on the
 *       socket (no hardware touched);</li>
 *   <li>{@code hardware} — a Pi4J context, only when a panel has {@code backend = "spi"}
 *       (exit: shut it down);</li>
 *   <li>{@code buses} — the bus, its drivers, one bus device per panel (with its emulator for
 *       {@code virtual}, the Pi4J context for {@code spi}), bound (exit: orderly unbind of what
 *       is still bound, then remove every device);</li>
 *   <li>{@code usb} — GUD USB hotplug, when available (exit: stop it);</li>
 *   <li>{@code server} — the socket server listening (exit: close sessions and connections);</li>
 *   <li>{@code ready} — READY=1 to systemd, watchdog pings (exit: STOPPING=1, stop accepting,
 *       tell the clients, orderly unbind of every device: backlight off, display off, unplug).</li>
 * </ol>
 * A failing step unwinds exactly the steps before it; {@link #stop()} unwinds what started.
 * A hidden test hook, {@code PANELD_FAIL_AT=<step>} in the environment (or the system property
 * {@code paneld.failAt}), makes that step fail before it runs.
 *
 * <p>Lifetime: the process's. Threads: {@link #start()} and {@link #stop()} from the main
 * thread; the admin service from the server's admin thread.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    /** The step names, in order. */
    public static final List<String> STEPS = List.of("config", "hardware", "buses", "usb", "server", "ready");

    private final Path configFile;
    private final Path socketOverride;
    private final Map<String, String> env;
    private final String failAt;
    private final long startNanos;
    private final InitTable table = new InitTable("paneld");
    private final LifecycleTracker tracker = new LifecycleTracker();
    private final SdNotify notify;

    private volatile PaneldConfig config;
    private volatile Path socketPath;
    private volatile Integer inheritedFd;
    private volatile Context pi4j;
    private volatile Bus bus;
    private volatile AutoCloseable usb;
    private volatile PaneldServer server;
    private volatile HttpView http;
    private volatile HttpMetrics metrics;
    private volatile BusListener statusListener;
    private final DaemonAdmin admin;

    public Daemon(Path configFile, Path socketOverride, Map<String, String> env, SdNotify notify, long startNanos) {
        this.configFile = configFile;
        this.socketOverride = socketOverride;
        this.env = env;
        this.notify = notify;
        this.startNanos = startNanos;
        String f = System.getProperty("paneld.failAt");
        this.failAt = f != null ? f : env.get("PANELD_FAIL_AT");
        this.admin = new DaemonAdmin(this);
        step("config", this::loadConfig, null);
        step("hardware", this::startHardware, this::stopHardware);
        step("buses", this::startBuses, this::stopBuses);
        step("usb", this::startUsb, this::stopUsb);
        step("server", this::startServer, this::stopServer);
        step("ready", this::ready, this::quiesce);
    }

    private void step(String name, InitTable.Init init, InitTable.Exit exit) {
        table.step(name, () -> {
            if (name.equals(failAt)) {
                throw new IllegalStateException("failure injected before step '" + name + "' (PANELD_FAIL_AT)");
            }
            InitTable.Outcome o = init.run();
            LOG.info("start-up step '{}' done", name);
            return o;
        }, exit == null ? null : () -> {
            LOG.info("unwinding step '{}'", name);
            exit.run();
        });
    }

    /**
     * Runs the start-up table.
     *
     * @throws InitTable.StepFailedException naming the failed step, after the started steps were unwound
     */
    public void start() throws InitTable.StepFailedException {
        table.start();
    }

    /** Unwinds every started step, last first. */
    public void stop() throws Exception {
        table.stop();
    }

    /** Runs only the config step's checks (no hardware): for {@code paneld --check}. */
    public PaneldConfig checkConfig() throws ConfigException {
        readConfig(); // not the socket check: the config of a running daemon can be checked
        return config;
    }

    /** Steps whose init completed and that have not been unwound. */
    public List<String> progress() {
        return table.progress();
    }

    // ------------------------------------------------------------------ config

    private InitTable.Outcome loadConfig() throws DeviceException {
        readConfig();
        if (inheritedFd == null) {
            checkSocketFree(socketPath);
        }
        return InitTable.Outcome.CONTINUE;
    }

    private void readConfig() throws ConfigException {
        ConfigLoader loader = new ConfigLoader(Drivers::find, n -> Drivers.describe());
        PaneldConfig c = loader.load(configFile, Defaults.config(Drivers::find));
        if (socketOverride != null) {
            c = c.withServer(c.server().withSocket(socketOverride));
        }
        OptionalInt fd = SocketActivation.listenFd(env);
        if (fd.isPresent()) {
            inheritedFd = fd.getAsInt();
        }
        socketPath = c.server().socket() != null ? c.server().socket() : DefaultSocket.forDaemon(env);
        if (inheritedFd == null && c.server().socket() == null && !socketPath.equals(DefaultSocket.SYSTEM)) {
            LOG.info("config: {} is not writable for this user; using the per-user socket {}", DefaultSocket.SYSTEM.getParent(), socketPath);
        }
        try {
            ServerLimits.limits(c.server()); // validates [server.limits] keys
        } catch (ConfigException e) {
            throw new ConfigException(c.source() + ": " + e.getMessage());
        }
        config = c;
        org.paneld.daemon.logging.Logs.applyConfigLevel(c.logLevel());
        List<String> names = new ArrayList<>();
        for (PanelConfig p : c.panels()) {
            names.add(p.name() + " (" + p.driver() + ", " + p.backend().key() + ")");
        }
        LOG.info("config: {}: {} panel(s){}{}", c.source(), c.panels().size(), names.isEmpty() ? "" : ": ", String.join(", ", names));
    }

    // ------------------------------------------------------------------ hardware

    private InitTable.Outcome startHardware() {
        if (!config.anySpi()) {
            LOG.info("hardware: no SPI panel configured, Pi4J not started");
            return InitTable.Outcome.CONTINUE;
        }
        pi4j = org.paneld.drivers.spi.Pi4jHardware.newContext(); // linuxfs SPI/PWM, gpiod lines; never pigpio
        LOG.info("hardware: Pi4J context started (providers {})", pi4j.providers().all().keySet());
        return InitTable.Outcome.CONTINUE;
    }

    private void stopHardware() throws Exception {
        Context c = pi4j;
        pi4j = null;
        if (c != null) {
            c.shutdown();
            LOG.info("hardware: Pi4J context shut down");
        }
    }

    // ------------------------------------------------------------------ buses

    private InitTable.Outcome startBuses() throws DeviceException, InterruptedException {
        Bus b = new Bus("panels", tracker);
        for (Driver d : Drivers.all()) {
            b.registerDriver(d);
        }
        bus = b;
        // While the panels sleep through their reset and init waits, load Netty's epoll native
        // library and classes for the server step on another thread (start-up time only).
        Thread warm = new Thread(() -> {
            try {
                io.netty.channel.epoll.Epoll.isAvailable();
                Class.forName("org.paneld.daemon.server.PaneldServer");
                Class.forName("io.netty.bootstrap.ServerBootstrap");
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.debug("warm-up: {}", e.toString());
            }
        }, "warm-up");
        warm.setDaemon(true);
        warm.start();
        try {
            addAndBindPanels(b);
        } catch (DeviceException | InterruptedException | RuntimeException e) {
            // a step that fails half-way undoes its own half (the table unwinds only the steps before it)
            stopBuses();
            bus = null;
            throw e;
        }
        return InitTable.Outcome.CONTINUE;
    }

    private void addAndBindPanels(Bus b) throws DeviceException, InterruptedException {
        for (PanelConfig p : config.panels()) {
            Driver driver = Drivers.find(p.driver()).orElseThrow();
            BusDevice bd = new BusDevice(p.name(), driver.name(), p.device());
            if (p.backend() == Backend.VIRTUAL) {
                // the emulator comes from the registry (ServiceLoader): the driver does not know it
                VirtualHardware hw = VirtualHardwareRegistry.standard().create(driver, p.device());
                bd.attach(VirtualHardware.class, hw);
            } else {
                bd.attach(Context.class, pi4j);
            }
            b.add(bd);
        }
        // Bind the panels in parallel: a controller's reset and sleep-out waits (~300 ms) overlap.
        java.util.concurrent.atomic.AtomicInteger bound = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> binders = new ArrayList<>();
        for (PanelConfig p : config.panels()) {
            Thread t = new Thread(() -> {
                try {
                    b.bind(p.name());
                    bound.incrementAndGet();
                } catch (DeviceException e) {
                    // One broken panel must not keep the others dark; it stays unbound (status shows it).
                    LOG.error("{}: not bound: {}", p.name(), e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("{}: not bound: {}", p.name(), e.toString());
                }
            }, "bind-" + p.name());
            binders.add(t);
            t.start();
        }
        for (Thread t : binders) {
            t.join();
        }
        LOG.info("buses: {} of {} panel(s) bound", bound.get(), config.panels().size());
    }

    private void stopBuses() {
        Bus b = bus;
        if (b == null) {
            return;
        }
        unbindAllOrderly();
        b.close();
        admin.forgetUnplugged();
        List<String> live = tracker.listing();
        if (!live.isEmpty()) {
            LOG.error("leaked at shutdown: {}", String.join("; ", live));
        } else {
            LOG.info("buses: every device removed, nothing left alive");
        }
    }

    /** Orderly unbind of every bound device, last bound first, one log line per step. */
    void unbindAllOrderly() {
        Bus b = bus;
        if (b == null) {
            return;
        }
        List<Binding> all = b.bindings();
        for (int i = all.size() - 1; i >= 0; i--) {
            unbindOrderly(all.get(i));
        }
    }

    /** Backlight off, display off while the hardware is there, then unplug and release the hardware. */
    void unbindOrderly(Binding binding) {
        Device d = binding.device();
        String n = d.name();
        try {
            if (d.info().property("backlight").isPresent()) {
                d.setProperty("backlight", 0);
                LOG.info("{}: backlight off", n);
            }
            d.disable();
            LOG.info("{}: display off", n);
        } catch (IOException e) {
            LOG.warn("{}: switching off before unbind failed: {}", n, e.getMessage());
        }
        binding.unbind(); // disable again (harmless), unplug: waits for in-flight work, logs "unplugged"
        LOG.info("{}: unbound (hardware released)", n);
    }

    // ------------------------------------------------------------------ usb

    private InitTable.Outcome startUsb() {
        if (!config.usbHotplug()) {
            LOG.info("usb: hotplug disabled in the config");
            return InitTable.Outcome.CONTINUE;
        }
        usb = UsbHotplug.start(bus);
        return InitTable.Outcome.CONTINUE;
    }

    private void stopUsb() throws Exception {
        AutoCloseable u = usb;
        usb = null;
        if (u != null) {
            u.close();
            LOG.info("usb: hotplug stopped");
        }
    }

    // ------------------------------------------------------------------ server

    private InitTable.Outcome startServer() throws Exception {
        ServerConfig s = config.server();
        Map<String, AccessList> access = new LinkedHashMap<>();
        for (PanelConfig p : config.panels()) {
            if (p.restricted()) {
                access.put(p.name(), new AccessList(java.util.Set.copyOf(p.allowUids()), java.util.Set.copyOf(p.allowGids())));
            }
        }
        if (inheritedFd == null) {
            prepareSocketDir(socketPath);
        }
        ServerOptions opts = new ServerOptions(socketPath, s.socketMode(), s.socketGroup(), inheritedFd,
                s.tcpHost(), s.tcpPort(), ServerLimits.limits(s), access, s.tcpAdmin());
        PaneldServer srv = new PaneldServer(opts, ServerLimits.admission(s), bus, admin);
        try {
            srv.start();
        } catch (Exception e) {
            srv.close();
            throw e;
        }
        server = srv;
        try {
            startHttp(srv);
        } catch (Exception e) {
            server = null;
            srv.close();
            throw e;
        }
        if (inheritedFd != null) {
            LOG.info("server: listening on the socket systemd passed (fd {})", inheritedFd);
        } else {
            LOG.info("server: listening on {}", socketPath);
        }
        if (s.tcpHost() != null) {
            LOG.info("server: listening on tcp {}:{}", s.tcpHost(), srv.tcpPort());
        }
        return InitTable.Outcome.CONTINUE;
    }

    /**
     * {@code [http]}: the live view and metrics on the server's event loops, when configured
     * (absent: no port is opened, and no flush is observed).
     */
    private void startHttp(PaneldServer srv) throws Exception {
        HttpConfig h = config.http();
        if (h == null) {
            return;
        }
        HttpMetrics m = new HttpMetrics(srv::stats, () -> new long[] {srv.budget().used(), srv.budget().total()});
        for (Binding bi : bus.bindings()) {
            m.deviceBound(bi);
        }
        bus.addListener(m);
        srv.sessions().setFlushObserver(m);
        HttpView v = new HttpView(h, srv.acceptorLoops(), srv.connectionLoops(), new LiveSource(this, admin), m);
        try {
            v.start();
        } catch (Exception e) {
            v.close();
            bus.removeListener(m);
            srv.sessions().setFlushObserver(null);
            throw new java.io.IOException("[http] listen = \"" + h.authority(h.port()) + "\": " + e.getMessage(), e);
        }
        metrics = m;
        http = v;
        LOG.info("http: live view on {} and metrics on {}metrics{}", v.url(), v.url(),
                h.token() != null ? " (a token is required)" : "");
        if (!h.loopback()) {
            LOG.warn("http: listening on {}, not on loopback: every request must carry http_token", h.authority(v.port()));
        }
    }

    private void stopHttp() {
        HttpView v = http;
        http = null;
        if (v != null) {
            v.close();
            LOG.info("http: stopped");
        }
        HttpMetrics m = metrics;
        metrics = null;
        if (m != null) {
            Bus b = bus;
            if (b != null) {
                b.removeListener(m);
            }
            PaneldServer s = server;
            if (s != null) {
                s.sessions().setFlushObserver(null);
            }
        }
    }

    /**
     * Refuses a socket path on which another paneld answers (checked in the config step, before
     * any hardware is touched: a second daemon must not re-initialise the first one's panels).
     * A socket file nobody answers on is stale and the server replaces it.
     */
    private static void checkSocketFree(Path socket) throws DeviceException {
        if (Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // a socket file left by a crashed daemon may be replaced; one that answers may not
            try (java.nio.channels.SocketChannel probe = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                probe.connect(java.net.UnixDomainSocketAddress.of(socket));
                throw new DeviceException(org.paneld.drivers.core.Errno.EBUSY, "another paneld is listening on " + socket
                        + " (stop it first, or use --socket for a second daemon)");
            } catch (DeviceException e) {
                throw e;
            } catch (IOException | UnsupportedOperationException e) {
                LOG.info("server: replacing the stale socket {} ({})", socket, e.getMessage());
            }
        }
    }

    private static void prepareSocketDir(Path socket) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            boolean perUser = dir.getFileName() != null && dir.getFileName().toString().startsWith("paneld-");
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString(perUser ? "rwx------" : "rwxr-xr-x")));
        }
    }

    private void stopServer() {
        stopHttp();
        PaneldServer s = server;
        server = null;
        if (s != null) {
            s.close();
            LOG.info("server: sessions and connections closed");
        }
    }

    // ------------------------------------------------------------------ ready

    private InitTable.Outcome ready() {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        String where = inheritedFd != null ? "the socket systemd passed" : socketPath.toString();
        int n = bus.bindings().size();
        notify.ready("serving " + n + " panel(s) on " + where);
        statusListener = new BusListener() {
            @Override
            public void deviceBound(Binding binding) {
                notify.status("serving " + bus.bindings().size() + " panel(s) on " + where);
            }

            @Override
            public void deviceUnbound(Binding binding, boolean surprise) {
                notify.status("serving " + bus.bindings().size() + " panel(s) on " + where);
            }
        };
        bus.addListener(statusListener);
        // ping only while the bus answers (its lock is taken by every bind/unbind) and the server is up
        long wd = notify.startWatchdog(env, () -> {
            Bus b = bus;
            return b != null && server != null && b.bindings() != null;
        });
        LOG.info("ready: serving {} panel(s) on {} (pid {}, started in {} ms{})", n, where,
                ProcessHandle.current().pid(), ms, wd > 0 ? ", watchdog every " + wd + " ms" : "");
        return InitTable.Outcome.CONTINUE;
    }

    /** Shutdown, first part: stop accepting, tell clients, switch every panel off and unbind it. */
    private void quiesce() {
        notify.stopping("stopping: switching panels off");
        if (statusListener != null) {
            bus.removeListener(statusListener);
            statusListener = null;
        }
        PaneldServer s = server;
        if (s != null) {
            s.stopAccepting();
            LOG.info("server: stopped accepting connections");
            s.announceShutdown();
            LOG.info("server: shutdown announced to clients");
        }
        unbindAllOrderly();
        notify.stopWatchdog();
    }

    // ------------------------------------------------------------------ accessors for the admin service

    Bus bus() {
        return bus;
    }

    PaneldServer server() {
        return server;
    }

    PaneldConfig config() {
        return config;
    }

    LifecycleTracker tracker() {
        return tracker;
    }

    long startNanos() {
        return startNanos;
    }

    Optional<PanelConfig> panel(String name) {
        PaneldConfig c = config;
        if (c == null) {
            return Optional.empty();
        }
        return c.panels().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The socket path the server listens on (null with an inherited fd). */
    public Path socketPath() {
        return inheritedFd != null ? null : socketPath;
    }
}
