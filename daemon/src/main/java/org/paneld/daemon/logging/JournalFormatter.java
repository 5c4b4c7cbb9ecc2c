package org.paneld.daemon.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.paneld.drivers.core.DeviceException;

/**
 * Formats one log record as one line. Under systemd (journald reads stderr) each line starts with
 * its syslog priority, {@code <3>} error, {@code <4>} warning, {@code <6>} info, {@code <7>}
 * debug, and carries no timestamp (the journal adds one); on a terminal a short time and the
 * level come first. Expected failures ({@link DeviceException}, which includes
 * {@code ConfigException}) are shown as their message only, never as a stack trace; an
 * unexpected throwable's stack trace follows on extra lines, each with the same prefix.
 * Stateless apart from configuration; any thread.
 */
public final class JournalFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private final boolean journal;

    public JournalFormatter(boolean journal) {
        this.journal = journal;
    }

    /** True when stderr goes to the journal: systemd sets JOURNAL_STREAM or INVOCATION_ID. */
    public static boolean underSystemd(java.util.Map<String, String> env) {
        return env.containsKey("JOURNAL_STREAM") || env.containsKey("INVOCATION_ID");
    }

    /** The syslog priority of a JUL level. */
    public static int priority(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return 3;
        }
        if (v >= Level.WARNING.intValue()) {
            return 4;
        }
        if (v >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }

    private static String levelName(Level level) {
        switch (priority(level)) {
            case 3:
                return "ERROR";
            case 4:
                return "WARN ";
            case 6:
                return "INFO ";
            default:
                return "DEBUG";
        }
    }

    @Override
    public String format(LogRecord record) {
        String prefix = journal ? "<" + priority(record.getLevel()) + ">"
                : LocalTime.now().format(TIME) + " " + levelName(record.getLevel()) + " ";
        StringBuilder sb = new StringBuilder();
        String msg = formatMessage(record);
        sb.append(prefix).append(shortName(record.getLoggerName())).append(": ").append(oneLine(msg));
        Throwable t = record.getThrown();
        if (t != null) {
            if (t instanceof DeviceException) {
                sb.append(": ").append(oneLine(t.getMessage()));
            } else {
                StringWriter sw = new StringWriter();
                t.printStackTrace(new PrintWriter(sw));
                for (String line : sw.toString().split("\\R")) {
                    if (!line.isEmpty()) {
                        sb.append(System.lineSeparator()).append(prefix).append("  ").append(line);
                    }
                }
            }
        }
        return sb.append(System.lineSeparator()).toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace("\r", "").replace('\n', ' ');
    }

    /** {@code org.paneld.daemon.Paneld} → {@code Paneld}. */
    static String shortName(String logger) {
        if (logger == null || logger.isEmpty()) {
            return "paneld";
        }
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}
