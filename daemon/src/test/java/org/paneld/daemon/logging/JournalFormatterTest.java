package org.paneld.daemon.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.ConfigException;

class JournalFormatterTest {

    private static LogRecord rec(Level l, String msg, Throwable t) {
        LogRecord r = new LogRecord(l, msg);
        r.setLoggerName("org.paneld.daemon.Daemon");
        r.setThrown(t);
        return r;
    }

    @Test
    void journalLinesCarrySyslogPriorities() {
        JournalFormatter f = new JournalFormatter(true);
        assertEquals("<3>Daemon: boom" + System.lineSeparator(), f.format(rec(Level.SEVERE, "boom", null)));
        assertEquals("<4>Daemon: hm" + System.lineSeparator(), f.format(rec(Level.WARNING, "hm", null)));
        assertEquals("<6>Daemon: ok" + System.lineSeparator(), f.format(rec(Level.INFO, "ok", null)));
        assertEquals("<7>Daemon: dbg" + System.lineSeparator(), f.format(rec(Level.FINE, "dbg", null)));
    }

    @Test
    void expectedErrorsHaveNoStackTraceAndStayOnOneLine() {
        String s = new JournalFormatter(true).format(rec(Level.SEVERE, "bad\nconfig", new ConfigException("f.toml: key 'x': no")));
        assertEquals("<3>Daemon: bad config: f.toml: key 'x': no" + System.lineSeparator(), s);
    }

    @Test
    void unexpectedErrorsKeepTheirStackTraceWithThePrefixOnEveryLine() {
        String s = new JournalFormatter(true).format(rec(Level.SEVERE, "bug", new IllegalStateException("x")));
        String[] lines = s.split("\\R");
        assertTrue(lines.length > 2);
        for (String l : lines) {
            assertTrue(l.startsWith("<3>"), l);
        }
        assertTrue(s.contains("java.lang.IllegalStateException: x"));
    }

    @Test
    void terminalLinesHaveTimeAndLevel() {
        String s = new JournalFormatter(false).format(rec(Level.INFO, "hello", null));
        assertTrue(s.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Daemon: hello\\R"), s);
        assertFalse(s.startsWith("<"));
    }

    @Test
    void systemdIsDetectedFromItsEnvironment() {
        assertTrue(JournalFormatter.underSystemd(Map.of("JOURNAL_STREAM", "8:1234")));
        assertTrue(JournalFormatter.underSystemd(Map.of("INVOCATION_ID", "abc")));
        assertFalse(JournalFormatter.underSystemd(Map.of("HOME", "/root")));
    }
}
