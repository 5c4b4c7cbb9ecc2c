package org.paneld.daemon;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes a Netty leak fail the test: every test class of this module runs with it (registered in
 * META-INF/services, autodetection on in junit-platform.properties). It installs a
 * {@link ResourceLeakDetectorFactory} whose detectors record each leak Netty reports (the
 * "LEAK: ..." it would log), runs at the level of {@code io.netty.leakDetection.level} (the poms
 * set {@code paranoid}: every buffer tracked), and after each test class collects garbage and
 * allocates once so that leaked buffers are reported, then fails the class naming the leak and
 * its access records. Recorded leaks also fail the test that is running when they surface.
 * JVM-wide state; any thread records, the JUnit thread checks.
 */
public final class NettyLeakCheck implements AfterEachCallback, AfterAllCallback {
    private static final List<String> LEAKS = new ArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                       long maxActive) {
                return new ResourceLeakDetector<>(resource, samplingInterval) {
                    @Override
                    protected boolean needReport() {
                        return true;
                    }

                    @Override
                    protected void reportTracedLeak(String type, String records) {
                        record("LEAK: " + type + ".release() was not called before it was garbage-collected." + records);
                        super.reportTracedLeak(type, records);
                    }

                    @Override
                    protected void reportUntracedLeak(String type) {
                        record("LEAK: " + type + ".release() was not called before it was garbage-collected.");
                        super.reportUntracedLeak(type);
                    }
                };
            }
        });
    }

    private static synchronized void record(String leak) {
        LEAKS.add(leak);
    }

    /** The leaks recorded so far, forgotten (for this check's own test). */
    public static synchronized List<String> drain() {
        List<String> out = new ArrayList<>(LEAKS);
        LEAKS.clear();
        return out;
    }

    /** Collects garbage and allocates, so that the detectors report what became unreachable. */
    public static void sweep() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(10); // lets the reference handler enqueue the collected trackers
            ByteBuf a = PooledByteBufAllocator.DEFAULT.heapBuffer(1); // tracked: polls the detector's queue
            a.release();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        sweep();
        check(context);
    }

    private static void check(ExtensionContext context) {
        List<String> leaks = drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty leak(s) surfaced in " + context.getDisplayName()
                    + " (level " + ResourceLeakDetector.getLevel() + "):\n" + String.join("\n", leaks));
        }
    }
}
