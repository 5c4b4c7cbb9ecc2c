package org.paneld.drivers.mipidbi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.paneld.drivers.core.ConfigException;

/**
 * A panel-mipi-dbi init sequence: the kernel's firmware file format (drivers/gpu/drm/tiny/
 * panel-mipi-dbi.c), byte-compatible — the same {@code .bin} the kernel driver loads works here.
 *
 * <p>Binary form: the 15 magic bytes {@code "MIPI DBI"} and 7 zeros, a version byte {@code 1},
 * then entries {@code command, parameter count, parameters...}; command 0x00 with exactly one
 * parameter means "sleep that many milliseconds". Like the kernel we refuse a file that is too
 * short to hold one entry, has the wrong magic or version, ends inside an entry, or leaves a
 * stray byte after the last entry. Text form, as notro's {@code mipi-dbi-cmd} tool reads it:
 * lines {@code command 0xNN [0xPP ...]} and {@code delay N}, numbers in Python's {@code int(x, 0)}
 * notation (decimal, 0x hex, 0o octal, 0b binary), {@code #} starts a comment.
 *
 * <p>Errors are {@link ConfigException}s (EINVAL) naming the file and the byte offset (binary)
 * or line (text). Immutable value, parsed when the config is read (object lifetime of whoever
 * holds it); any thread.
 */
public final class InitFile {
    /** The 15-byte magic: "MIPI DBI" and seven zero bytes. */
    static final byte[] MAGIC = {'M', 'I', 'P', 'I', ' ', 'D', 'B', 'I', 0, 0, 0, 0, 0, 0, 0};
    static final int VERSION = 1;
    static final int HEADER = 16;

    /** One step of the sequence. */
    public sealed interface Step permits Entry, Delay {
        /** Byte offset of the step in the binary file (-1 when built in code). */
        int offset();
    }

    /** A command with its parameters, at {@code offset} in the file. */
    public record Entry(int offset, int command, byte[] params) implements Step {
        public Entry {
            if (command < 0 || command > 0xFF) {
                throw new IllegalArgumentException("command " + command + " is not a byte");
            }
            if (params.length > 0xFF) {
                throw new IllegalArgumentException("command 0x" + hex(command) + " has " + params.length
                        + " parameters, the file format allows 255");
            }
            if (command == 0 && params.length == 1) {
                throw new IllegalArgumentException("command 0x00 with one parameter is a delay; use Delay");
            }
            params = params.clone();
        }

        @Override
        public byte[] params() {
            return params.clone();
        }

        /** Parameter {@code i} as 0..255. */
        public int param(int i) {
            return params[i] & 0xFF;
        }

        public int paramCount() {
            return params.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.command == command && Arrays.equals(e.params, params);
        }

        @Override
        public int hashCode() {
            return command * 31 + Arrays.hashCode(params);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("command 0x").append(hex(command));
            for (byte b : params) {
                sb.append(" 0x").append(hex(b & 0xFF));
            }
            return sb.toString();
        }
    }

    /** A pause of {@code millis} (0..255) milliseconds. */
    public record Delay(int offset, int millis) implements Step {
        public Delay {
            if (millis < 0 || millis > 0xFF) {
                throw new IllegalArgumentException("delay " + millis + " ms does not fit a byte (0..255)");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Delay d && d.millis == millis;
        }

        @Override
        public int hashCode() {
            return millis;
        }

        @Override
        public String toString() {
            return "delay " + millis;
        }
    }

    private final String name;
    private final List<Step> steps;

    private InitFile(String name, List<Step> steps) {
        this.name = name;
        this.steps = List.copyOf(steps);
    }

    /** A sequence built in code (offsets are ignored by equality). */
    public static InitFile of(String name, List<? extends Step> steps) {
        Objects.requireNonNull(name, "name");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(name + ": an init sequence needs at least one entry");
        }
        return new InitFile(name, new ArrayList<>(steps));
    }

    /** The name used in messages (usually the file name). */
    public String name() {
        return name;
    }

    public List<Step> steps() {
        return steps;
    }

    /** Entries only (no delays), in order. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof Entry e) {
                out.add(e);
            }
        }
        return out;
    }

    // ------------------------------------------------------------ binary

    /** Reads and parses a binary file; ConfigException naming the file when it cannot be read or is malformed. */
    public static InitFile read(Path file) throws ConfigException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read init file: " + e.getMessage(), e);
        }
        return parse(file.toString(), data);
    }

    /** Parses the binary form; {@code name} (the file) appears in every error. */
    public static InitFile parse(String name, byte[] data) throws ConfigException {
        Objects.requireNonNull(name, "name");
        if (data.length == 0) {
            throw error(name, 0, "file is empty (expected the 15-byte \"MIPI DBI\" magic, a version byte and "
                    + "at least one entry)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= data.length) {
                throw error(name, i, "file ends inside the 15-byte \"MIPI DBI\" magic (" + data.length + " bytes)");
            }
            if (data[i] != MAGIC[i]) {
                throw error(name, i, "bad magic: expected \"MIPI DBI\" and 7 zero bytes, found "
                        + hexBytes(data, 0, Math.min(MAGIC.length, data.length)));
            }
        }
        if (data.length <= MAGIC.length) {
            throw error(name, MAGIC.length, "file ends before the version byte");
        }
        int version = data[MAGIC.length] & 0xFF;
        if (version != VERSION) {
            throw error(name, MAGIC.length, "file format version " + version + " is not supported (only 1)");
        }
        if (data.length == HEADER) {
            throw error(name, HEADER, "no entries after the header (an init file needs at least one command)");
        }
        List<Step> steps = new ArrayList<>();
        int i = HEADER;
        while (i + 1 < data.length) {
            int at = i;
            int command = data[i++] & 0xFF;
            int count = data[i++] & 0xFF;
            int available = data.length - i;
            if (count > available) {
                throw error(name, at + 1, "entry 0x" + hex(command) + " declares " + count + " parameter"
                        + (count == 1 ? "" : "s") + " but the file ends after " + available);
            }
            byte[] params = Arrays.copyOfRange(data, i, i + count);
            i += count;
            if (command == 0 && count == 1) {
                steps.add(new Delay(at, params[0] & 0xFF));
            } else {
                steps.add(new Entry(at, command, params));
            }
        }
        if (i != data.length) {
            throw error(name, i, "1 trailing byte 0x" + hex(data[i] & 0xFF) + " after the last entry (an entry "
                    + "is a command byte and a parameter count)");
        }
        return new InitFile(name, steps);
    }

    /** The binary form (header and entries), as the kernel loads it. */
    public byte[] toBinary() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(VERSION);
        for (Step s : steps) {
            if (s instanceof Entry e) {
                out.write(e.command);
                out.write(e.params.length);
                out.writeBytes(e.params);
            } else {
                Delay d = (Delay) s;
                out.write(0);
                out.write(1);
                out.write(d.millis);
            }
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------ text

    /** Reads and parses the text form. */
    public static InitFile readText(Path file) throws ConfigException {
        try {
            return parseText(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read init text: " + e.getMessage(), e);
        }
    }

    /** Parses the text form ({@code command ...}, {@code delay N}, {@code #} comments); errors name the line. */
    public static InitFile parseText(String name, String text) throws ConfigException {
        List<Step> steps = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            int lineNo = n + 1;
            switch (parts[0]) {
                case "command": {
                    if (parts.length < 2) {
                        throw lineError(name, lineNo, line, "'command' needs a command byte");
                    }
                    if (parts.length - 2 > 0xFF) {
                        throw lineError(name, lineNo, line, "more than 255 parameters");
                    }
                    int command = value(name, lineNo, line, parts[1]);
                    byte[] params = new byte[parts.length - 2];
                    for (int i = 2; i < parts.length; i++) {
                        params[i - 2] = (byte) value(name, lineNo, line, parts[i]);
                    }
                    if (command == 0 && params.length == 1) {
                        // the binary form cannot tell this from a delay; say so instead of changing meaning
                        throw lineError(name, lineNo, line, "command 0x00 with one parameter is how the file "
                                + "format encodes a delay; write 'delay " + (params[0] & 0xFF) + "'");
                    }
                    steps.add(new Entry(-1, command, params));
                    break;
                }
                case "delay": {
                    if (parts.length != 2) {
                        throw lineError(name, lineNo, line, "'delay' takes exactly one argument (milliseconds, "
                                + "0..255)");
                    }
                    steps.add(new Delay(-1, value(name, lineNo, line, parts[1])));
                    break;
                }
                default:
                    throw lineError(name, lineNo, line, "unknown keyword '" + parts[0]
                            + "' (expected 'command' or 'delay')");
            }
        }
        if (steps.isEmpty()) {
            throw new ConfigException(name + ": no commands (an init sequence needs at least one)");
        }
        return new InitFile(name, steps);
    }

    /** The text form, one step per line, as mipi-dbi-cmd prints a binary file. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            sb.append(s).append('\n');
        }
        return sb.toString();
    }

    /** Python int(x, 0): optional sign, 0x/0o/0b prefixes, underscores between digits, no leading zeros. */
    private static int value(String name, int lineNo, String line, String token) throws ConfigException {
        String t = token;
        boolean negative = false;
        if (t.startsWith("+") || t.startsWith("-")) {
            negative = t.charAt(0) == '-';
            t = t.substring(1);
        }
        int radix = 10;
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("0x")) {
            radix = 16;
        } else if (lower.startsWith("0o")) {
            radix = 8;
        } else if (lower.startsWith("0b")) {
            radix = 2;
        }
        String digits = radix == 10 ? t : t.substring(2);
        if (digits.startsWith("_")) {
            digits = digits.substring(1); // Python allows 0x_1F
        }
        boolean ok = !digits.isEmpty() && !digits.endsWith("_") && !digits.contains("__")
                && !(radix == 10 && digits.length() > 1 && digits.charAt(0) == '0' && !digits.matches("0[0_]*"));
        long v = 0;
        if (ok) {
            for (char ch : digits.toCharArray()) {
                if (ch == '_') {
                    continue;
                }
                int d = Character.digit(ch, radix);
                if (d < 0) {
                    ok = false;
                    break;
                }
                v = v * radix + d;
                if (v > Integer.MAX_VALUE) {
                    v = Integer.MAX_VALUE;
                }
            }
        }
        if (!ok) {
            throw lineError(name, lineNo, line, "not a number: " + token);
        }
        if (negative) {
            v = -v;
        }
        if (v < 0 || v > 0xFF) {
            throw lineError(name, lineNo, line, "value out of bounds: " + token + " (must be 0..255)");
        }
        return (int) v;
    }

    private static ConfigException error(String name, int offset, String what) {
        return new ConfigException(name + ": byte " + offset + ": " + what);
    }

    private static ConfigException lineError(String name, int lineNo, String line, String what) {
        return new ConfigException(name + ": line " + lineNo + ": " + what + " (in '" + line + "')");
    }

    private static String hex(int b) {
        return String.format("%02x", b);
    }

    private static String hexBytes(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (i > from) {
                sb.append(' ');
            }
            sb.append(hex(b[i] & 0xFF));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitFile f && f.steps.equals(steps);
    }

    @Override
    public int hashCode() {
        return steps.hashCode();
    }

    @Override
    public String toString() {
        return name + " (" + steps.size() + " steps)";
    }
}
