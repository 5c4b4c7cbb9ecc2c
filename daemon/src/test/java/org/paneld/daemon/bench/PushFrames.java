package org.paneld.daemon.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.file.Path;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.Session;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Region;

/**
 * The Java counterpart of {@code protocol/c/examples/push_frames.c} for {@code bench/run
 * client-fps}: {@code PushFrames --socket PATH --device NAME --frames N --mode shm|inline
 * [--buffers 2|1] [--warmup-flushes N]}. Every frame changes every pixel (a picture XOR-ed with a colour that
 * alternates), is drawn into a buffer (shm: the shared mapping; inline: a byte array sent with
 * WRITE) and sent with one FLUSH of the whole display. With 2 buffers (the default) the next
 * frame is drawn into the other buffer while the previous flush is carried out; with 1 the next
 * frame starts when the FLUSH is answered. Not counted: first {@code --warmup-flushes} FLUSHes of one
 * pixel (default 0: they run the client's request and reply path often enough for HotSpot to
 * compile it, so that the frames measure the compiled client, not the interpreter and the JIT
 * compiler threads), then three frames. Prints {@code cpu_ms_per_frame} (the process's
 * CPU time per counted frame, all threads); last line: {@code fps=<frames per second>}. Runs as
 * its own process.
 */
public final class PushFrames {
    public static void main(String[] args) throws Exception {
        String socket = null, device = "lcd0", mode = "shm";
        int frames = 100, buffers = 2, warmupFlushes = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--socket" -> socket = args[i + 1];
                case "--device" -> device = args[i + 1];
                case "--frames" -> frames = Integer.parseInt(args[i + 1]);
                case "--mode" -> mode = args[i + 1];
                case "--buffers" -> buffers = Integer.parseInt(args[i + 1]) == 1 ? 1 : 2;
                case "--warmup-flushes" -> warmupFlushes = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("usage: PushFrames --socket PATH --device NAME --frames N --mode shm|inline [--buffers 2|1] [--warmup-flushes N]");
            }
        }
        boolean shared = mode.equals("shm");
        try (PaneldClient c = PaneldClient.connect(Path.of(socket))) {
            Session s = c.open(device, true);
            Buffer[] b = new Buffer[buffers];
            for (int k = 0; k < buffers; k++) {
                b[k] = s.createBuffer(Message.FOURCC_XRGB8888, shared);
            }
            int w = s.width(), h = s.height();
            int[] base = new int[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    base[y * w + x] = (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x ^ y) & 0x7F);
                }
            }
            byte[][] inline = new byte[buffers][];
            IntBuffer[] px = new IntBuffer[buffers];
            for (int k = 0; k < buffers; k++) {
                inline[k] = shared ? null : new byte[w * h * 4];
                px[k] = shared ? b[k].pixels().duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer()
                        : ByteBuffer.wrap(inline[k]).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
            }
            @SuppressWarnings("unchecked")
            CompletableFuture<Void>[] inFlight = new CompletableFuture[buffers];
            List<Region> all = List.of(new Region(0, 0, w, h));
            int[] row = new int[w];
            List<Region> onePixel = List.of(new Region(0, 0, 1, 1));
            for (int i = 0; i < warmupFlushes; i++) {
                b[i % buffers].flushAsync(onePixel).join();
            }
            int warmup = 3;
            long start = 0, cpu0 = 0;
            for (int f = 0; f < frames + warmup; f++) {
                if (f == warmup) {
                    cpu0 = cpuNanos();
                    start = System.nanoTime();
                }
                int k = f % buffers;
                if (inFlight[k] != null) {
                    inFlight[k].join(); // this buffer's last flush is done: it may be drawn into again
                }
                int flip = (f & 1) != 0 ? 0xFFFFFF : 0; // every pixel differs from the previous frame
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        row[x] = base[y * w + x] ^ flip;
                    }
                    px[k].put(y * (b[k].stride() / 4), row);
                }
                CompletableFuture<Void> written = shared ? CompletableFuture.completedFuture(null) : b[k].writeAsync(0, 0, w, h, inline[k]);
                CompletableFuture<Void> flushed = b[k].flushAsync(all);
                inFlight[k] = written.thenCombine(flushed, (x, y) -> null);
            }
            for (CompletableFuture<Void> f : inFlight) {
                if (f != null) {
                    f.join();
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            double cpuMs = (cpuNanos() - cpu0) / 1e6 / frames;
            System.out.printf(java.util.Locale.ROOT, "frames=%d seconds=%.3f mode=%s buffers=%d warmup_flushes=%d cpu_ms_per_frame=%.3f%n", frames, secs,
                    mode, buffers, warmupFlushes, cpuMs);
            System.out.printf(java.util.Locale.ROOT, "fps=%.2f%n", frames / secs);
        }
    }

    /** This process's CPU time (all threads, the JIT compilers' included). */
    static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
