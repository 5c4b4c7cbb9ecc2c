package org.paneld.drivers.virtual;

import static org.paneld.drivers.virtual.Dcs.RAMWR;
import static org.paneld.drivers.virtual.Dcs.RAMWRC;

import java.util.Arrays;

/**
 * One entry of a {@link VirtualDbiPanel}'s command log ({@link VirtualDbiPanel#commandLog()}): a
 * command with its parameter bytes; a memory write (RAMWR/RAMWRC) with the number of pixel bytes
 * instead; a register read with the bytes it returned; or a hardware reset pulse
 * ({@link #reset()}, code -1). Equality compares code, parameters, data byte count and kind.
 * Immutable; any thread.
 */
public final class DbiCommand {
    private final int code;
    private final byte[] params;
    private final long dataBytes;
    private final boolean read;

    DbiCommand(int code, byte[] params, long dataBytes, boolean read) {
        this.code = code;
        this.params = params;
        this.dataBytes = dataBytes;
        this.read = read;
    }

    /** A command with parameters, as a test expects it: {@code DbiCommand.of(0x36, 0xE8)}. */
    public static DbiCommand of(int code, int... params) {
        byte[] p = new byte[params.length];
        for (int i = 0; i < p.length; i++) {
            if (params[i] < 0 || params[i] > 0xFF) {
                throw new IllegalArgumentException("parameter " + params[i] + " is not a byte");
            }
            p[i] = (byte) params[i];
        }
        return new DbiCommand(code & 0xFF, p, 0, false);
    }

    /** A memory write (RAMWR or RAMWRC) that carried {@code bytes} pixel bytes. */
    public static DbiCommand memoryWrite(int code, long bytes) {
        return new DbiCommand(code & 0xFF, new byte[0], bytes, false);
    }

    /** A hardware reset pulse. */
    public static DbiCommand reset() {
        return new DbiCommand(-1, new byte[0], 0, false);
    }

    static DbiCommand read(int code, byte[] result) {
        return new DbiCommand(code, result.clone(), 0, true);
    }

    /** The command byte, or -1 for a reset pulse. */
    public int code() {
        return code;
    }

    int paramCount() {
        return params.length;
    }

    /** Parameter bytes (for a read: the bytes returned). */
    public byte[] params() {
        return params.clone();
    }

    /** Pixel bytes of a memory write, else 0. */
    public long dataBytes() {
        return dataBytes;
    }

    public boolean isRead() {
        return read;
    }

    public boolean isReset() {
        return code < 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DbiCommand)) {
            return false;
        }
        DbiCommand c = (DbiCommand) o;
        return code == c.code && dataBytes == c.dataBytes && read == c.read && Arrays.equals(params, c.params);
    }

    @Override
    public int hashCode() {
        return (code * 31 + Long.hashCode(dataBytes)) * 31 + Arrays.hashCode(params) + (read ? 1 : 0);
    }

    @Override
    public String toString() {
        if (code < 0) {
            return "RESET";
        }
        StringBuilder sb = new StringBuilder(read ? "read " : "").append(String.format("%02X", code));
        if (code == RAMWR || code == RAMWRC) {
            return sb.append(" [").append(dataBytes).append(" pixel bytes]").toString();
        }
        if (read) {
            sb.append(" ->");
        }
        for (byte b : params) {
            sb.append(String.format(" %02X", b & 0xFF));
        }
        return sb.toString();
    }
}
