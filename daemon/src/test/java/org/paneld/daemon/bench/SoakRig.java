package org.paneld.daemon.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Region;

/**
 * The soak rig shared by {@code SoakIT} (issue 10) and {@code bench/run soak}: the real
 * {@code paneld.jar} started as a process with the JVM flags of {@code systemd/paneld.service}'s
 * ExecStart (parsed from the file), serving three virtual mi0283qt panels ({@code lcd0},
 * {@code lcd1}, {@code lcd2}, the real driver through the DBI panel emulator, each with
 * {@code interlace = "auto"}; lcd1 with its emulated ADS7846 touch controller, lcd2 with a wire
 * timed at {@link #VIDEO_WIRE_HZ}) on a socket in a temp directory, the {@code [http]} live view and metrics on
 * an ephemeral loopback port, USB hotplug off. It drives the daemon with the Java client (pipelined FLUSHes, connect cycles,
 * admin unplug/replug) and measures the process: heap after a full GC ({@code jcmd GC.run},
 * {@code GC.heap_info}), threads and RSS ({@code /proc/PID/status}), open fds
 * ({@code /proc/PID/fd}) and the live-object table of ADMIN_STATUS. Every request must be
 * answered (a reply or an ERROR frame); a timeout or a lost connection is counted as unanswered.
 * Lifetime: one soak run. Threads: the caller's, plus the client's I/O threads.
 */
public final class SoakRig implements AutoCloseable {
    /** Pipelined FLUSHes in flight on the flushing connection. */
    private static final int WINDOW = 32;
    /** A request not answered within this time counts as unanswered (the daemon is wedged). */
    private static final long ANSWER_SECONDS = 30;
    /** lcd2's timed wire, in Hz. */
    public static final long VIDEO_WIRE_HZ = 125_000_000L;
    /** A full 320x240 RGB565 frame on lcd2's wire, in ns. */
    public static final long VIDEO_FRAME_NANOS = 320L * 240 * 2 * 8 * 1_000_000_000L / VIDEO_WIRE_HZ;
    private static final Pattern HEAP_USED = Pattern.compile("total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

    private final Path dir;
    private final Path socket;
    private final Path log;
    private final Process process;
    private final List<String> jvmFlags;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicReference<Throwable> unanswered = new AtomicReference<>();
    private PaneldClient admin;

    /**
     * A snapshot of the daemon process. {@code live}: the "live …" lines of ADMIN_STATUS with
     * each object's instance number replaced by {@code #N} (a re-plugged lcd1 is lcd1#55 where
     * it was lcd1#5: the same object, a new instance).
     */
    public record Metrics(long heapAfterGcKb, int threads, int fds, long rssKb, List<String> live) {
        @Override
        public String toString() {
            return String.format("heap_after_gc=%d KB threads=%d fds=%d rss=%d KB live=%d object(s)",
                    heapAfterGcKb, threads, fds, rssKb, live.size());
        }
    }

    private SoakRig(Path dir, Path socket, Path log, Process process, List<String> jvmFlags) {
        this.dir = dir;
        this.socket = socket;
        this.log = log;
        this.process = process;
        this.jvmFlags = jvmFlags;
    }

    /**
     * Starts {@code java <service flags> -jar paneldJar --config <temp>} and waits until it serves.
     *
     * @param serviceFile {@code systemd/paneld.service}, whose ExecStart gives the JVM flags
     */
    public static SoakRig start(Path paneldJar, Path serviceFile) throws Exception {
        List<String> flags = StartupBenchmark.jvmFlags(serviceFile);
        if (flags.stream().noneMatch(f -> f.startsWith("-Xmx"))) {
            throw new IllegalStateException("no -Xmx in the ExecStart of " + serviceFile + ": " + flags);
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "paneld-soak-");
        Path socket = dir.resolve("paneld.sock");
        Path cfg = dir.resolve("paneld.toml");
        // the live view and metrics on (every flush is timed for them), and lcd1 with its
        // emulated ADS7846 (a touch controller and its thread made and ended at every unplug/replug)
        StringBuilder toml = new StringBuilder("[server]\nsocket = \"" + socket + "\"\n\n[usb]\nhotplug = false\n"
                + "\n[http]\nlisten = \"127.0.0.1:0\"\n");
        for (String name : List.of("lcd0", "lcd1")) {
            // interlace large updates under sustained overload (lcd0's flood of flushes is one):
            // held replies and pending rows go through the flood, lcd1's unplugs and closes
            toml.append("\n[[panel]]\nname = \"").append(name).append("\"\ndriver = \"mi0283qt\"\nbackend = \"virtual\"\n")
                    .append("interlace = \"auto\"\n");
        }
        toml.append("[panel.touch]\ndriver = \"ads7846\"\nspi_cs = 1\nirq_gpio = 25\nnoise = 8\n");
        // lcd2: a wire timed at 125 MHz (a full frame takes 9.8 ms), for the video that keeps it overloaded
        toml.append("\n[[panel]]\nname = \"lcd2\"\ndriver = \"mi0283qt\"\nbackend = \"virtual\"\ninterlace = \"auto\"\n"
                + "wire_hz = ").append(VIDEO_WIRE_HZ).append('\n');
        Files.writeString(cfg, toml);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-jar", paneldJar.toString(), "--config", cfg.toString()));
        Path log = dir.resolve("paneld.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        for (String v : List.of("NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "JOURNAL_STREAM", "INVOCATION_ID", "PANELD_SOCKET")) {
            pb.environment().remove(v);
        }
        SoakRig rig = new SoakRig(dir, socket, log, pb.start(), flags);
        try {
            rig.awaitReady();
            rig.admin = PaneldClient.connect(socket);
            rig.admin.setTimeout(30_000);
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
        return rig;
    }

    private void awaitReady() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (logText().contains("ready: serving")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("paneld exited " + process.exitValue() + " before ready; log:\n" + logText());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("paneld not ready within 60 s; log:\n" + logText());
    }

    public List<String> jvmFlags() {
        return jvmFlags;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path socket() {
        return socket;
    }

    /** Requests sent so far by the workloads. */
    public long sent() {
        return sent.get();
    }

    /** Requests answered so far (a reply or an ERROR frame). */
    public long answered() {
        return answered.get();
    }

    /** The first request that got no answer (timeout, lost connection), or null. */
    public Throwable firstUnanswered() {
        return unanswered.get();
    }

    /** The daemon's log so far (its stderr and stdout). */
    /** {@code device}'s DEVICE_INFO statistics ({@code stat_*}), as {@code name=value} words. */
    public String stats(String device) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Message.Property p : admin.info(device).properties()) {
            if (p.name().startsWith("stat_")) {
                sb.append(sb.length() == 0 ? "" : " ").append(p.name().substring(5)).append('=').append(p.value());
            }
        }
        return sb.toString();
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Lines of the daemon's log that contain any of {@code words} (e.g. "ERROR", "OutOfMemoryError"). */
    public List<String> logLines(String... words) {
        List<String> out = new ArrayList<>();
        for (String l : logText().lines().toList()) {
            for (String w : words) {
                if (l.contains(w)) {
                    out.add(l);
                    break;
                }
            }
        }
        return out;
    }

    /** The last {@code n} lines of the log, for failure messages. */
    public String logTail(int n) {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    // ------------------------------------------------------------------ workloads

    /**
     * {@code n} FLUSHes of a shared XRGB8888 buffer on {@code device}, one connection, up to
     * {@link #WINDOW} in flight: every {@code fullEvery}-th is the full frame, the others a 1x1
     * rectangle walking over the panel.
     */
    public void flushes(String device, long n, int fullEvery) throws Exception {
        pipelined(device, 0, (b, i) -> {
            if (i >= n) {
                return null;
            }
            return i % fullEvery == 0 ? new Region(0, 0, b.width(), b.height())
                    : new Region((int) (i % b.width()), (int) (i / b.width() % b.height()), 1, 1);
        });
    }

    /**
     * A video on {@code device} (configured with {@code wire_hz} and {@code interlace = "auto"}):
     * full frames, each pixel changed from the last, one every {@code intervalNanos} (faster than
     * the wire: overload, merged FLUSHes, interlaced updates and held replies), until
     * {@code stop} says so.
     */
    public void video(String device, long intervalNanos, java.util.function.BooleanSupplier stop) throws Exception {
        pipelined(device, intervalNanos, (b, i) -> {
            if (stop.getAsBoolean()) {
                return null;
            }
            b.fill((i & 1) == 0 ? 0x10A040 : 0xE05010);
            return new Region(0, 0, b.width(), b.height());
        });
    }

    /** What the next FLUSH of a pipelined run covers, after drawing into {@code b}; null: the run ends. */
    private interface NextFlush {
        Region next(Buffer b, long i) throws IOException;
    }

    /**
     * FLUSHes of one shared XRGB8888 buffer on {@code device}, one connection, up to
     * {@link #WINDOW} in flight, one at least every {@code intervalNanos} (0: as fast as answered),
     * each as {@code next} says; every one must be answered, none refused.
     */
    private void pipelined(String device, long intervalNanos, NextFlush next) throws Exception {
        try (PaneldClient c = PaneldClient.connect(socket)) {
            c.setTimeout(30_000);
            Session s = c.open(device, true);
            Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true);
            b.fill(0x204080);
            Semaphore window = new Semaphore(WINDOW);
            AtomicReference<Throwable> refused = new AtomicReference<>();
            long due = System.nanoTime();
            for (long i = 0; ; i++) {
                if (!window.tryAcquire(ANSWER_SECONDS * 2, TimeUnit.SECONDS)) {
                    unanswered.compareAndSet(null, new IllegalStateException(WINDOW + " FLUSHes in flight, none answered for "
                            + ANSWER_SECONDS * 2 + " s"));
                }
                Region rect = unanswered.get() != null ? null : next.next(b, i);
                if (rect == null) {
                    window.release();
                    break;
                }
                track(b.flushAsync(List.of(rect))).whenComplete((v, e) -> {
                    if (e != null) {
                        refused.compareAndSet(null, e);
                    }
                    window.release();
                });
                if (intervalNanos > 0) {
                    due += intervalNanos;
                    java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime()); // the source's rate
                }
            }
            if (!window.tryAcquire(WINDOW, ANSWER_SECONDS * 2, TimeUnit.SECONDS)) {
                unanswered.compareAndSet(null, new IllegalStateException((WINDOW - window.availablePermits())
                        + " FLUSH(es) still unanswered " + ANSWER_SECONDS * 2 + " s after the last was sent"));
            }
            s.close();
            check();
            if (refused.get() != null) {
                throw new IllegalStateException("a FLUSH on " + device + " was refused: " + refused.get(), refused.get());
            }
        }
    }

    /**
     * {@code n} cycles of: connect, open {@code device} as owner, create a shared buffer (fd
     * passing), write and flush a 1x1 rectangle, disconnect without closing anything.
     */
    public void connectCycles(String device, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            try (PaneldClient c = PaneldClient.connect(socket)) {
                c.setTimeout(30_000);
                Session s = own(answer(c.openAsync(device, true)));
                Buffer b = answer(s.createBufferAsync(Message.FOURCC_XRGB8888, true));
                b.pixels().putInt(0, 0xFF0000 + i);
                answer(b.flushAsync(List.of(new Region(0, 0, 1, 1))));
            }
        }
        check();
    }

    /**
     * {@code n} cycles of: a client owning {@code device} with a buffer; admin unplug (the
     * client's FLUSH then gets ENODEV); admin replug; the client closes; a new session flushes
     * on the re-plugged device.
     */
    public void unplugCycles(String device, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            try (PaneldClient c = PaneldClient.connect(socket)) {
                c.setTimeout(30_000);
                Session s = own(answer(c.openAsync(device, true)));
                Buffer b = answer(s.createBufferAsync(Message.FOURCC_XRGB8888, true));
                answer(b.flushAsync(List.of(new Region(0, 0, b.width(), b.height()))));
                answerAdmin(() -> admin.unplug(device));
                try {
                    answer(b.flushAsync(List.of(new Region(0, 0, 1, 1))));
                    throw new IllegalStateException("FLUSH on unplugged " + device + " succeeded");
                } catch (PaneldException e) {
                    if (e.code() != ErrorCode.ENODEV) {
                        throw new IllegalStateException("FLUSH on unplugged " + device + ": " + e.getMessage(), e);
                    }
                }
                answerAdmin(() -> admin.replug(device));
            }
            awaitBound(device);
            try (PaneldClient c = PaneldClient.connect(socket)) {
                c.setTimeout(30_000);
                Session s = own(answer(c.openAsync(device, true)));
                Buffer b = answer(s.createBufferAsync(Message.FOURCC_XRGB8888, true));
                answer(b.flushAsync(List.of(new Region(0, 0, 1, 1))));
            }
        }
        check();
    }

    /**
     * Makes {@code s} the owner: a client that just disconnected may still own the device until
     * the daemon has seen its close, so OPEN_OWNER can come back without ownership; then ask
     * again (each EBUSY is an answer) for up to 30 s.
     */
    private Session own(Session s) throws Exception {
        if (s.isOwner()) {
            return s;
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                answer(s.acquireOwnershipAsync());
                return s;
            } catch (PaneldException e) {
                if (e.code() != ErrorCode.EBUSY || System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    private void awaitBound(String device) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            for (String l : answerAdmin(() -> admin.status())) {
                if (l.startsWith("device " + device + " ") && l.contains("state=bound")) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(device + " not bound again within 30 s after replug");
    }

    /** Counts {@code f} as a request and its completion as an answer (an error reply is one). */
    private <T> CompletableFuture<T> track(CompletableFuture<T> f) {
        sent.incrementAndGet();
        // the client's futures have no deadline of their own (only its blocking calls do)
        return f.orTimeout(ANSWER_SECONDS, TimeUnit.SECONDS).whenComplete((v, e) -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause == null || cause instanceof PaneldException pe && pe.code() != ErrorCode.EIO
                    && pe.code() != ErrorCode.ETIMEDOUT) {
                answered.incrementAndGet();
            } else {
                unanswered.compareAndSet(null, cause);
            }
        });
    }

    /** Waits for {@code f} (30 s); an ERROR frame is thrown as PaneldException, no answer fails the run. */
    private <T> T answer(CompletableFuture<T> f) throws Exception {
        track(f);
        try {
            return f.get(ANSWER_SECONDS + 5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            unanswered.compareAndSet(null, e);
            throw new IllegalStateException("a request got no answer within 30 s", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof PaneldException pe && pe.code() != ErrorCode.EIO && pe.code() != ErrorCode.ETIMEDOUT) {
                throw pe;
            }
            throw new IllegalStateException("a request got no answer: " + e.getCause(), e.getCause());
        }
    }

    private interface AdminCall<T> {
        T call() throws PaneldException;
    }

    private interface AdminRun {
        void run() throws PaneldException;
    }

    private <T> T answerAdmin(AdminCall<T> call) throws PaneldException {
        sent.incrementAndGet();
        try {
            T t = call.call();
            answered.incrementAndGet();
            return t;
        } catch (PaneldException e) {
            if (e.code() == ErrorCode.EIO || e.code() == ErrorCode.ETIMEDOUT) {
                unanswered.compareAndSet(null, e);
            } else {
                answered.incrementAndGet();
            }
            throw e;
        }
    }

    private void answerAdmin(AdminRun run) throws PaneldException {
        answerAdmin(() -> {
            run.run();
            return null;
        });
    }

    private void check() {
        Throwable t = unanswered.get();
        if (t != null) {
            List<String> errors = logLines("ERROR", "OutOfMemoryError");
            throw new IllegalStateException("a request was not answered (" + t + "); paneld alive=" + process.isAlive()
                    + (errors.isEmpty() ? "" : "; errors in its log:\n" + String.join("\n", errors.subList(0, Math.min(10, errors.size()))))
                    + "\nlog tail:\n" + logTail(40), t);
        }
    }

    // ------------------------------------------------------------------ measurements

    /** Full GC in the daemon, then heap used, threads, fds, RSS and the live-object table. */
    public Metrics measure() throws Exception {
        jcmd("GC.run");
        Thread.sleep(200); // let cleaners (direct buffers, mapped files) run, then collect again
        jcmd("GC.run");
        long heapKb = heapUsedKb(jcmd("GC.heap_info"));
        List<String> live = new ArrayList<>();
        for (String l : answerAdmin(() -> admin.status())) {
            if (l.startsWith("live ")) {
                live.add(l.replaceAll("#\\d+", "#N"));
            }
        }
        long pid = process.pid();
        int fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = (int) s.count();
        }
        return new Metrics(heapKb, (int) procStatus("Threads:"), fds, procStatus("VmRSS:"), live);
    }

    /**
     * Heap in use from {@code jcmd GC.heap_info}: the sum of the "used" of every heap space line
     * ({@code def new generation   total 4800K, used 1024K [...]}, the tenured generation; G1's
     * {@code garbage-first heap   total …, used …}), not Metaspace or class space.
     */
    static long heapUsedKb(String heapInfo) {
        long used = 0;
        int spaces = 0;
        for (String line : heapInfo.lines().toList()) {
            String t = line.trim();
            if (t.startsWith("Metaspace") || t.startsWith("class space")) {
                continue;
            }
            Matcher m = HEAP_USED.matcher(t);
            if (m.find()) {
                used += Long.parseLong(m.group(2));
                spaces++;
            }
        }
        if (spaces == 0) {
            throw new IllegalStateException("no heap figures in jcmd GC.heap_info output:\n" + heapInfo);
        }
        return used;
    }

    private String jcmd(String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path out = Files.createTempFile(dir, "jcmd-", ".txt");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("jcmd " + command + " did not finish in 60 s (paneld wedged?); log tail:\n" + logTail(20));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + command + " failed (" + p.exitValue() + "): " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private long procStatus(String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (l.startsWith(key)) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no " + key + " in /proc/" + process.pid() + "/status");
    }

    /** SIGTERM, then the exit status (the daemon must stop within 20 s). */
    public int stop() throws Exception {
        if (admin != null) {
            admin.close();
            admin = null;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("paneld did not stop within 20 s; log tail:\n" + logTail(40));
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
