package org.paneld.daemon;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import org.paneld.daemon.config.PaneldConfig;
import org.paneld.daemon.logging.Logs;
import org.paneld.daemon.systemd.SdNotify;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.InitTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paneld}, the daemon's entry point: {@code java -jar paneld.jar [--config FILE]
 * [--socket PATH]}. Starts the {@link Daemon}'s table, waits for SIGTERM or SIGINT, then stops
 * in order and exits 0 within a bounded time.
 *
 * <p>Exit status: 0 after a clean stop; 2 for bad arguments; 3 + the index of the failed
 * start-up step (3 config, 4 hardware, 5 buses, 6 usb, 7 server, 8 ready); 1 when shutdown
 * failed or overran its time limit. Lifetime: the process. Threads: the main thread.
 */
@Command(name = "paneld", mixinStandardHelpOptions = true, version = "paneld 0.1.0",
        description = {"Userspace display-driver daemon for small SPI and USB panels.",
                "With no config file (/etc/paneld/paneld.toml), it serves two virtual panels, lcd0 (320x240) and lcd1 (240x240)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped cleanly (SIGTERM/SIGINT)", "2:bad arguments", "3:bad config, or another paneld serves the socket",
                "4:hardware context failed", "5:buses/drivers failed", "6:USB failed", "7:socket server failed",
                "8:readiness failed", "1:shutdown failed or overran"})
public final class Paneld implements Callable<Integer> {
    /** How long an orderly stop may take before the process exits anyway. */
    static final long SHUTDOWN_LIMIT_MS = Long.getLong("paneld.shutdownLimitMs", 10_000);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "config file (default /etc/paneld/paneld.toml; built-in virtual panels when it does not exist)")
    Path config;

    @Option(names = {"-s", "--socket"}, paramLabel = "PATH",
            description = "Unix socket to listen on (default /run/paneld/paneld.sock, or $XDG_RUNTIME_DIR/paneld.sock / "
                    + "/tmp/paneld-$USER/paneld.sock when /run/paneld is not writable)")
    Path socket;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info (default), debug or trace")
    String logLevel;

    @Option(names = "--check", description = "only read and validate the config (no hardware touched), then exit")
    boolean check;

    private final long startNanos;
    private final Map<String, String> env;

    Paneld(long startNanos, Map<String, String> env) {
        this.startNanos = startNanos;
        this.env = env;
    }

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        int code = 1;
        org.paneld.drivers.core.Fatal.installDefaultHandler();
        try {
            code = new CommandLine(new Paneld(t0, System.getenv())).execute(args);
        } catch (Throwable t) {
            org.paneld.drivers.core.Fatal.exitIfFatal(t, "main");
            // never leave the JVM running on Netty's non-daemon threads after a failure here
            System.err.println("paneld: fatal: " + t);
        } finally {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        Level level;
        try {
            String l = logLevel != null ? logLevel : env.getOrDefault("PANELD_LOG_LEVEL", "info");
            level = Logs.parseLevel(l);
        } catch (IllegalArgumentException e) {
            System.err.println("paneld: --log-level: " + e.getMessage());
            return 2;
        }
        Logs.setup(level, env, logLevel != null || env.containsKey("PANELD_LOG_LEVEL"));
        Logger log = LoggerFactory.getLogger(Paneld.class);

        if (check) {
            try {
                PaneldConfig c = new Daemon(config, socket, env, SdNotify.fromEnv(Map.of()), startNanos).checkConfig();
                System.out.println("config OK: " + c.source() + ": " + c.panels().size() + " panel(s)"
                        + (c.http() == null ? "" : ", live view and metrics on http://" + c.http().authority(c.http().port()) + "/"));
                return 0;
            } catch (DeviceException e) {
                log.error("bad config: {}", e.getMessage());
                return 3;
            }
        }

        CountDownLatch stopRequested = new CountDownLatch(1);
        String[] signal = {null};
        Signals.onTermination(name -> {
            signal[0] = name;
            stopRequested.countDown();
        });

        SdNotify notify = SdNotify.fromEnv(env);
        Daemon daemon = new Daemon(config, socket, env, notify, startNanos);
        try {
            daemon.start();
        } catch (InitTable.StepFailedException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            Throwable cause = e.getCause();
            boolean expected = cause == null || cause instanceof java.io.IOException // DeviceException, ConfigException, bind errors
                    || String.valueOf(cause.getMessage()).startsWith("failure injected");
            if (expected) {
                log.error("start-up failed at step '{}': {}", e.step(), why);
            } else {
                // a bug, not a bad config or a missing device: keep the stack trace
                log.error("start-up failed at step '" + e.step() + "': " + why, cause);
            }
            for (Throwable s : e.getSuppressed()) {
                log.error("while unwinding: {}", s.getMessage());
            }
            notify.status("start-up failed at step '" + e.step() + "': " + why);
            notify.close();
            return 3 + Math.max(0, Daemon.STEPS.indexOf(e.step()));
        }

        awaitUninterruptibly(stopRequested);
        log.info("received {}: shutting down", signal[0]);
        Thread limit = new Thread(() -> {
            try {
                Thread.sleep(SHUTDOWN_LIMIT_MS);
            } catch (InterruptedException e) {
                return;
            }
            log.error("shutdown did not finish within {} ms (still started: {}); exiting anyway", SHUTDOWN_LIMIT_MS, daemon.progress());
            Runtime.getRuntime().halt(1);
        }, "shutdown-limit");
        limit.setDaemon(true);
        limit.start();
        int code = 0;
        try {
            daemon.stop();
        } catch (Exception e) {
            log.error("shutdown: {}{}", e.getMessage(), e.getCause() == null ? "" : ": " + e.getCause().getMessage());
            code = 1;
        }
        notify.close();
        limit.interrupt();
        log.info("stopped{}", code == 0 ? "" : " with errors");
        return code;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep waiting: only a signal ends the daemon
            }
        }
    }
}
