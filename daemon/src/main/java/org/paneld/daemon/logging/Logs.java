package org.paneld.daemon.logging;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sets up java.util.logging (slf4j-jdk14 routes slf4j there) for the daemon: one handler writing
 * {@link JournalFormatter} lines to stderr, flushed per record. Called once at start from the
 * main thread.
 */
public final class Logs {
    private static volatile boolean levelFixed;
    // JUL holds loggers weakly: keep the ones whose level is set here, or the setting is lost at the next GC
    private static final Logger PI4J = Logger.getLogger("com.pi4j");
    private static final Logger NETTY = Logger.getLogger("io.netty");

    private Logs() {
    }

    /**
     * Applies the config file's {@code [log] level}, unless the command line or
     * $PANELD_LOG_LEVEL chose the level (they win).
     */
    public static void applyConfigLevel(String name) {
        if (levelFixed || name == null) {
            return;
        }
        Level level = parseLevel(name);
        Logger.getLogger("").setLevel(level);
        boolean quiet = level.intValue() >= Level.INFO.intValue();
        PI4J.setLevel(quiet ? Level.WARNING : null);
        NETTY.setLevel(quiet ? Level.WARNING : null);
    }

    /** Parses "error", "warn", "info", "debug", "trace". */
    public static Level parseLevel(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "error":
                return Level.SEVERE;
            case "warn":
            case "warning":
                return Level.WARNING;
            case "info":
                return Level.INFO;
            case "debug":
                return Level.FINE;
            case "trace":
                return Level.FINEST;
            default:
                throw new IllegalArgumentException("log level must be error, warn, info, debug or trace, got '" + name + "'");
        }
    }

    /** Routes all logging to stderr at {@code level}; Pi4J (chatty at INFO) stays at WARN unless debugging. */
    public static void setup(Level level, Map<String, String> env, boolean fixed) {
        levelFixed = fixed;
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        Handler h = new LineHandler(System.err, new JournalFormatter(JournalFormatter.underSystemd(env)));
        h.setLevel(Level.ALL);
        root.addHandler(h);
        root.addHandler(new FatalWatch());
        boolean quiet = level.intValue() >= Level.INFO.intValue();
        PI4J.setLevel(quiet ? Level.WARNING : null);
        NETTY.setLevel(quiet ? Level.WARNING : null);
    }

    /**
     * Ends the process when a library logs a fatal error it caught (Netty logs a task's
     * OutOfMemoryError and carries on): the last net under {@link org.paneld.drivers.core.Fatal}.
     */
    static final class FatalWatch extends Handler {
        FatalWatch() {
            setLevel(Level.ALL);
        }

        @Override
        public void publish(LogRecord r) {
            if (r.getThrown() != null && org.paneld.drivers.core.Fatal.isFatal(r.getThrown())) {
                org.paneld.drivers.core.Fatal.exit(r.getThrown(), "logged by " + r.getLoggerName());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Writes each record whole and flushes it: lines of different threads never interleave. */
    static final class LineHandler extends Handler {
        private final PrintStream out;

        LineHandler(PrintStream out, JournalFormatter formatter) {
            this.out = out;
            setFormatter(formatter);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String line;
            try {
                line = getFormatter().format(record);
            } catch (RuntimeException e) {
                line = "log record could not be formatted: " + e + System.lineSeparator();
            }
            synchronized (out) {
                out.print(line);
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
