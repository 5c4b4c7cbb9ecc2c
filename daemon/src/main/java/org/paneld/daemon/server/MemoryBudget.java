package org.paneld.daemon.server;

import java.util.concurrent.atomic.AtomicLong;
import org.paneld.protocol.InputBudget;

/**
 * The daemon-wide memory budget: the bytes that clients can make the daemon hold, all of them
 * counted here. What counts: client buffers (inline ones on the heap; a shared one's shadow in
 * direct memory; its file is tmpfs the client maps, not counted), frames over 4 KiB other
 * than WRITE while they are read whole (twice their length), the pieces of streamed WRITEs and
 * every other request queued on a device worker, and output waiting in a connection's outbound
 * buffer or held during an fd exchange. A fixed {@link #PER_CONNECTION} bytes for each of
 * {@code max_connections} are set aside first (small frames being read, channel state), the rest
 * is {@link #available()}.
 *
 * <p>Every limit fits inside it (checked by {@link #check}, so a config that does not fit is
 * refused at load): a single buffer, one connection's buffers and one connection's pending share
 * ({@code max_pending_bytes_per_connection}) are each at most what is available. The default
 * ({@link #derivedTotal()}) is half the JVM's max heap or three quarters of its max direct
 * memory, whichever is smaller, so either kind of memory holds the whole budget with room for
 * the daemon itself: under the service flags ({@code -Xmx48m -XX:MaxDirectMemorySize=32m})
 * 23 MiB. The panels' own memory is not in the budget, so a buffer also needs room in the
 * memory it lives in ({@link #roomFor}).
 *
 * <p>Reservations that cannot be refused (output already produced, work already read) are
 * counted with {@link #forceReserve}: they may overdraw the budget by what one read or one reply
 * brings per connection, and then reading pauses, or a client that does not read is closed.
 *
 * <p>Lifetime: the server's. Threads: any (one atomic counter).
 */
public final class MemoryBudget implements InputBudget {
    /** Set aside for each connection: two small (≤ 4 KiB) frames being read, and channel state. */
    public static final long PER_CONNECTION = 16 << 10;
    /** The smallest pending share a connection may have: a socket read plus a few frames. */
    public static final long MIN_PENDING = 256 << 10;
    private static final long MIB = 1 << 20;

    private final long total;
    private final long available;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(Limits limits) {
        this.total = limits.memoryBudgetBytes();
        this.available = available(total, limits.maxConnections());
    }

    /** The JVM's max heap ({@code -Xmx}). */
    public static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    /** The JVM's max direct memory ({@code -XX:MaxDirectMemorySize}, as Netty sees it). */
    public static long maxDirect() {
        long d = io.netty.util.internal.PlatformDependent.maxDirectMemory();
        return d > 0 ? d : maxHeap();
    }

    /** The default budget: min(max heap / 2, max direct memory * 3/4), in whole MiB. */
    public static long derivedTotal() {
        long b = Math.min(maxHeap() / 2, maxDirect() / 4 * 3);
        return Math.max(MIB, b / MIB * MIB);
    }

    /** The most a configured budget may be: three quarters of the smaller of max heap and max direct memory. */
    public static long ceiling() {
        return Math.min(maxHeap(), maxDirect()) / 4 * 3;
    }

    /** What is left of {@code total} after {@link #PER_CONNECTION} for each connection. */
    public static long available(long total, int maxConnections) {
        return total - (long) maxConnections * PER_CONNECTION;
    }

    /** The default pending share of one connection: an eighth of what is available, 256 KiB .. 8 MiB. */
    public static long defaultPending(long available) {
        return Math.max(MIN_PENDING, Math.min(8 * MIB, available / 8));
    }

    /**
     * Checks that every limit fits the budget and the JVM; the message names the config keys
     * (IllegalArgumentException, reported as a config error).
     */
    static void check(long maxBufferBytesPerConnection, long maxBufferBytes, int maxRectsPerFlush, int maxConnections,
                      long b, long maxPending) {
        long ceiling = ceiling();
        if (b > ceiling) {
            throw new IllegalArgumentException("memory_budget_bytes = " + b + " is more than this JVM can hold (at most " + ceiling
                    + ": 3/4 of the smaller of max heap " + maxHeap() + " (-Xmx) and max direct memory " + maxDirect()
                    + " (-XX:MaxDirectMemorySize)); lower it or raise the JVM's limits");
        }
        long avail = available(b, maxConnections);
        String of = " does not fit memory_budget_bytes = " + b + " (" + avail + " after " + PER_CONNECTION
                + " bytes for each of max_connections = " + maxConnections + ")";
        if (avail < 2 * MIN_PENDING) {
            throw new IllegalArgumentException("max_connections = " + maxConnections + of + ": lower max_connections or raise the budget");
        }
        fits("max_buffer_bytes", maxBufferBytes, avail, of);
        fits("max_buffer_bytes_per_connection", maxBufferBytesPerConnection, avail, of);
        fits("max_pending_bytes_per_connection", maxPending, avail / 2, of + " (at most half of it)");
        if (maxPending < MIN_PENDING) {
            throw new IllegalArgumentException("max_pending_bytes_per_connection = " + maxPending
                    + " is less than the minimum of " + MIN_PENDING);
        }
        long flushFrame = 12 + 16L * maxRectsPerFlush;
        fits("max_rects_per_flush", 2 * flushFrame, maxPending, " (a FLUSH of " + flushFrame
                + " bytes, held twice while read) does not fit max_pending_bytes_per_connection = " + maxPending);
    }

    private static void fits(String key, long value, long room, String of) {
        if (value > room) {
            throw new IllegalArgumentException(key + " = " + value + of + "; lower it or raise memory_budget_bytes");
        }
    }

    public long total() {
        return total;
    }

    /** What reservations may take: the total less the per-connection set-aside. */
    public long available() {
        return available;
    }

    public long used() {
        return used.get();
    }

    /** True when nothing more can be reserved. */
    public boolean exhausted() {
        return used.get() >= available;
    }

    /**
     * Reserves {@code n} bytes of input (a large frame being read, work queued on a device
     * worker); false, with nothing reserved, when the budget cannot take it or
     * {@link #memoryTight} (then reading pauses or the frame is refused).
     */
    @Override
    public boolean tryReserve(long n) {
        return !memoryTight() && tryReserveBuffer(n);
    }

    /**
     * Reserves {@code n} bytes for a client buffer; false, with nothing reserved, when the budget
     * cannot take them. Whether its memory can hold the buffer is {@link #roomFor}'s question.
     */
    public boolean tryReserveBuffer(long n) {
        while (true) {
            long cur = used.get();
            if (cur + n > available) {
                return false;
            }
            if (used.compareAndSet(cur, cur + n)) {
                return true;
            }
        }
    }

    /** Counts {@code n} bytes that are already held (output, queued work) even if that overdraws the budget. */
    public void forceReserve(long n) {
        used.addAndGet(n);
    }

    @Override
    public void release(long n) {
        used.addAndGet(-n);
    }

    /**
     * Null when a buffer of {@code bytes} can be allocated now in the memory it lives in (the
     * heap's old generation for an inline buffer, direct memory for a shared buffer's shadow)
     * with {@link #headroom} to spare, else why not. The budget does not count the daemon's own
     * memory (the panels' frames, which a 2048x2048 panel makes 16 MiB), so this is checked too,
     * once more after a full GC (at most one per 100 ms) when the first look says no.
     */
    public String roomFor(long bytes, boolean direct) {
        String why = lookRoom(bytes, direct);
        if (why != null && System.nanoTime() - lastGc > GC_INTERVAL_NS) {
            lastGc = System.nanoTime();
            System.gc();
            why = lookRoom(bytes, direct);
            // Direct memory comes back when the reference handler has run the freed buffers'
            // cleaners, just after the GC. On JDK 24+ Netty cannot free a shadow at once (no
            // sun.misc.Unsafe), so there the GC is what frees destroyed buffers' shadows: wait a
            // little for it instead of refusing a buffer that fits.
            for (long end = System.nanoTime() + CLEANER_WAIT_NS; direct && why != null && System.nanoTime() < end; ) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                why = lookRoom(bytes, direct);
            }
        }
        return why;
    }

    /** At most one full GC per this interval for {@link #roomFor}. */
    private static final long GC_INTERVAL_NS = 100_000_000L;
    /** How long {@link #roomFor} waits after a GC for cleaners to give direct memory back. */
    private static final long CLEANER_WAIT_NS = 250_000_000L;

    private volatile long lastGc = System.nanoTime() - 2_000_000_000L;

    private static String lookRoom(long bytes, boolean direct) {
        if (direct) {
            long used = 0;
            for (java.lang.management.BufferPoolMXBean b : java.lang.management.ManagementFactory.getPlatformMXBeans(
                    java.lang.management.BufferPoolMXBean.class)) {
                if (b.getName().equals("direct")) {
                    used = b.getMemoryUsed();
                }
            }
            long max = maxDirect();
            return used + bytes + headroom(max) <= max ? null : "direct memory cannot hold " + bytes + " more bytes now ("
                    + used + " of " + max + " in use, -XX:MaxDirectMemorySize)";
        }
        long max = maxHeap();
        long used = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        for (java.lang.management.MemoryPoolMXBean p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            String n = p.getName();
            if (p.getType() == java.lang.management.MemoryType.HEAP && (n.contains("Old") || n.contains("Tenured"))
                    && p.getUsage().getMax() > 0) {
                max = p.getUsage().getMax(); // large arrays live in the old generation
                used = p.getUsage().getUsed();
            }
        }
        return used + bytes + headroom(max) <= max ? null : "the heap cannot hold " + bytes + " more bytes now (" + used + " of "
                + max + " in use in its old generation, -Xmx; the panels' own frames are not in the budget)";
    }

    /**
     * Whether Netty's output buffers live on the heap. They do when Netty cannot use
     * sun.misc.Unsafe (JDK 24+ by default): then replies queued for a client that does not read
     * share the heap with the panels' own frames, which the budget does not count.
     */
    static final boolean OUTPUT_ON_HEAP = outputOnHeap();

    private static boolean outputOnHeap() {
        io.netty.buffer.ByteBuf b = io.netty.buffer.ByteBufAllocator.DEFAULT.ioBuffer(16);
        try {
            return !b.isDirect();
        } finally {
            b.release();
        }
    }

    /** How often {@link #memoryTight} looks at the memory pools again. */
    private static final long TIGHT_INTERVAL_NS = 2_000_000L;
    /** At most one full GC per this interval for {@link #memoryTight}. */
    private static final long TIGHT_GC_INTERVAL_NS = 500_000_000L;
    private volatile long tightCheckedAt = System.nanoTime() - 2 * TIGHT_INTERVAL_NS;
    private volatile boolean tight;

    /**
     * True when the heap's old generation or direct memory has less than {@link #headroom} free
     * now. The budget alone cannot tell: it does not count the panels' own frames (a 2048x2048
     * panel's 16 MiB), so what it lets clients hold can still fill the heap. While true,
     * {@link #tryReserve} refuses (reading pauses, large frames are refused) and a client that
     * does not read its replies is closed ({@link OutputShare}). Looked up at most every 2 ms;
     * any thread.
     */
    public boolean memoryTight() {
        long now = System.nanoTime();
        if (now - tightCheckedAt > TIGHT_INTERVAL_NS) {
            boolean t = oldGenerationTight() || directTight();
            if (t && now - lastGc > TIGHT_GC_INTERVAL_NS) {
                // what filled it may be gone already (clients closed): only a GC can tell
                lastGc = now;
                System.gc();
                t = oldGenerationTight() || directTight();
            }
            tight = t;
            tightCheckedAt = System.nanoTime();
        }
        return tight;
    }

    private static boolean directTight() {
        long used = io.netty.util.internal.PlatformDependent.usedDirectMemory(); // Netty's own, -1 when it does not count
        for (java.lang.management.BufferPoolMXBean b : java.lang.management.ManagementFactory.getPlatformMXBeans(
                java.lang.management.BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                used = Math.max(0, used) + b.getMemoryUsed();
            }
        }
        long max = maxDirect();
        return used + headroom(max) > max;
    }

    /**
     * The heap's old generation has less than {@link #headroom} free both now and after its last
     * collection: what it holds is live, not garbage waiting for the next full GC (so a client
     * reading a large reply is not closed because of someone else's garbage).
     */
    private static boolean oldGenerationTight() {
        for (java.lang.management.MemoryPoolMXBean p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            String n = p.getName();
            if (p.getType() == java.lang.management.MemoryType.HEAP && (n.contains("Old") || n.contains("Tenured"))
                    && p.getUsage().getMax() > 0) {
                long max = p.getUsage().getMax();
                java.lang.management.MemoryUsage afterGc = p.getCollectionUsage();
                long limit = max - headroom(max);
                return p.getUsage().getUsed() > limit && afterGc != null && afterGc.getUsed() > limit;
            }
        }
        return lookRoom(0, false) != null;
    }

    /** What an allocation must leave free in its memory: an eighth of it, at least 1 MiB. */
    static long headroom(long max) {
        return Math.max(MIB, max / 8);
    }

    @Override
    public String describe() {
        return "memory_budget_bytes = " + total + ", " + used.get() + " of " + available + " bytes in use";
    }
}
