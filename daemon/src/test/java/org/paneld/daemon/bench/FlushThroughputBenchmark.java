package org.paneld.daemon.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.paneld.client.Buffer;
import org.paneld.client.PaneldClient;
import org.paneld.client.Session;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Region;

/**
 * {@code bench/run flush-throughput}: 4 clients, each owning its own virtual-fb panel (320x240)
 * over the Unix socket, each keeping up to 16 FLUSHes of a 32x32 rectangle of a shared buffer in
 * flight, for 5 s after a 2 s warm-up. Last line: {@code flush-throughput: flushes_per_s=X clients=4}.
 */
public final class FlushThroughputBenchmark {
    public static void main(String[] args) throws Exception {
        int clients = 4;
        long warmupMs = 2000, measureMs = args.length > 0 ? Long.parseLong(args[0]) : 5000;
        BenchRig.quietLogs();
        String result;
        try (BenchRig rig = new BenchRig(clients)) {
            List<PaneldClient> cs = new ArrayList<>();
            List<Buffer> bufs = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                PaneldClient c = PaneldClient.connect(rig.socket);
                Session s = c.open("fb" + i, true);
                Buffer b = s.createBuffer(Message.FOURCC_XRGB8888, true);
                b.fill(0x102030 * (i + 1));
                cs.add(c);
                bufs.add(b);
            }
            AtomicLong done = new AtomicLong();
            long start = System.nanoTime();
            long warmEnd = start + warmupMs * 1_000_000L;
            long end = warmEnd + measureMs * 1_000_000L;
            long[] at = new long[2];
            CountDownLatch finished = new CountDownLatch(clients);
            for (int i = 0; i < clients; i++) {
                Buffer b = bufs.get(i);
                int k = i;
                Thread t = new Thread(() -> {
                    Semaphore window = new Semaphore(16);
                    List<Region> rect = List.of(new Region(k * 32, k * 16, 32, 32));
                    try {
                        while (System.nanoTime() < end) {
                            window.acquire();
                            CompletableFuture<Void> f = b.flushAsync(rect);
                            f.whenComplete((v, e) -> {
                                if (e == null && System.nanoTime() > warmEnd) {
                                    done.incrementAndGet();
                                }
                                window.release();
                            });
                        }
                        window.acquire(16);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        finished.countDown();
                    }
                }, "bench-client-" + i);
                t.start();
            }
            finished.await();
            double rate = done.get() / (measureMs / 1000.0);
            for (PaneldClient c : cs) {
                c.close();
            }
            System.out.printf("flushes=%d seconds=%.1f%n", done.get(), measureMs / 1000.0);
            result = String.format("flush-throughput: flushes_per_s=%.0f clients=%d", rate, clients);
        }
        System.out.println(result);
    }
}
