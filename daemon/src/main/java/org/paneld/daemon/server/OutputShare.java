package org.paneld.daemon.server;

import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;

/**
 * The rule for a connection's output: what the client has not read yet (Netty's pending bytes
 * plus frames held during an fd exchange) may not exceed its share of the memory budget
 * ({@code max_pending_bytes_per_connection}), nor {@link #UNDER_PRESSURE} while the daemon-wide
 * budget is exhausted or the memory the output lives in is nearly full
 * ({@link MemoryBudget#memoryTight}). The check runs before each frame is queued, so a single large reply
 * (a snapshot) to a client that reads is never refused. Stateless; any thread.
 */
final class OutputShare {
    /** Unread output a connection may keep while the daemon-wide budget is exhausted. */
    static final long UNDER_PRESSURE = 64 << 10;

    private OutputShare() {
    }

    /** Null when {@code pending} bytes are within the share, else why not (the ERROR message). */
    static String over(long pending, long share, MemoryBudget budget) {
        if (pending > share) {
            return "the client does not read its replies: " + pending + " bytes of output are queued, more than its share of "
                    + share + " (max_pending_bytes_per_connection)";
        }
        if (pending > UNDER_PRESSURE && budget.exhausted()) {
            return "the daemon's memory budget is exhausted (" + budget.describe() + ") and the client does not read its replies ("
                    + pending + " bytes queued)";
        }
        if (pending > UNDER_PRESSURE && budget.memoryTight()) {
            return "the daemon's memory is nearly full (" + (MemoryBudget.OUTPUT_ON_HEAP ? "heap" : "direct memory")
                    + " holds its output) and the client does not read its replies (" + pending + " bytes queued)";
        }
        return null;
    }

    /** The encoded size of {@code f}, roughly (held frames are counted before they are encoded). */
    static long estimate(Frame f) {
        Message m = f.message();
        long n = OutputMeter.ENTRY_OVERHEAD + 64;
        if (m instanceof Message.Snapshot) {
            n += 4L * ((Message.Snapshot) m).rgb().length;
        } else if (m instanceof Message.Status) {
            for (String l : ((Message.Status) m).lines()) {
                n += 2 + 3L * l.length();
            }
        } else if (m instanceof Message.Info) {
            n += 1024;
        } else if (m instanceof Message.DeviceList) {
            n += 128L * ((Message.DeviceList) m).devices().size();
        } else if (m instanceof Message.Error) {
            n += 3L * ((Message.Error) m).message().length();
        }
        return n;
    }
}
