package org.paneld.drivers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;

/**
 * The core's small contracts that logs, admin listings and errno mapping rely on: errnoOf,
 * guarded calls, the names and states in toString, tracker counts and listing order, scope and
 * init-table bookkeeping, addAndBind and DeviceRef. Written from the survivors and uncovered
 * mutants of {@code bench/run mutation} (group core).
 */
class CoreDiagnosticsTest {
    private final RecordingDriver recording = new RecordingDriver();

    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver(), recording);

    @Test
    void errnoOfMapsEveryKindOfThrowable() {
        assertEquals(Errno.EBUSY, DeviceException.errnoOf(new DeviceException(Errno.EBUSY, "busy")));
        assertEquals(Errno.EINVAL, DeviceException.errnoOf(new ConfigException("bad")));
        assertEquals(Errno.EINVAL, DeviceException.errnoOf(new IllegalArgumentException("bad")));
        assertEquals(Errno.EIO, DeviceException.errnoOf(new IOException("wire")));
        assertEquals(Errno.EIO, DeviceException.errnoOf(new IllegalStateException("bug")));
        assertEquals(Errno.EBUSY + ": busy", new DeviceException(Errno.EBUSY, "busy").toString());
    }

    @Test
    void guardedCallsEnterAndExit() throws Exception {
        UnplugGuard g = new UnplugGuard("dev0");
        assertEquals("dev0", g.name());
        assertEquals("UnplugGuard[dev0, active=0]", g.toString());
        int inside = g.call(() -> (int) g.activeSections());
        assertEquals(1, inside, "the body runs inside a section");
        assertEquals(0, g.activeSections(), "and the section is left afterwards");
        assertThrows(IOException.class, () -> g.call(() -> {
            throw new IOException("wire");
        }));
        assertEquals(0, g.activeSections(), "left on an exception too");
        g.unplug();
        assertEquals("UnplugGuard[dev0, unplugged, active=0]", g.toString());
        assertThrows(NoDeviceException.class, () -> g.call(() -> 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, g::exitAtomic);
        assertTrue(e.getMessage().startsWith("exitAtomic() without enterAtomic()"), e.getMessage());
    }

    @Test
    void scopesCountAndDescribeTheirActions() throws Exception {
        ManagedScope s = new ManagedScope("hw dev0");
        assertEquals("hw dev0", s.name());
        AtomicInteger ran = new AtomicInteger();
        s.add("gpio", ran::incrementAndGet);
        ManagedScope.Registration spi = s.addOrReset("spi", ran::incrementAndGet);
        assertEquals("spi", spi.what());
        assertEquals(2, s.pending());
        assertEquals(List.of("gpio", "spi"), s.describe());
        assertEquals("ManagedScope[hw dev0, pending=2]", s.toString());
        s.release();
        assertEquals(2, ran.get());
        assertEquals(0, s.pending());
        assertEquals("ManagedScope[hw dev0, released, pending=0]", s.toString());
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> s.addOrReset("late", () -> {
                    ran.incrementAndGet();
                    throw new IOException("late release failed");
                }));
        assertEquals(3, ran.get(), "a refused addOrReset runs its action at once");
        assertEquals(1, refused.getSuppressed().length);
        assertEquals("late release failed", refused.getSuppressed()[0].getMessage());
    }

    @Test
    void trackerCountsPerKindAndListsOldestFirst() {
        LifecycleTracker t = new LifecycleTracker();
        LifecycleTracker.Tracked a = t.track("device", "b-second", () -> "x");
        LifecycleTracker.Tracked b = t.track("session", "a-first", null);
        LifecycleTracker.Tracked c = t.track("device", "c-third", () -> "");
        assertEquals(3, t.liveCount());
        assertEquals(2, t.liveCount("device"));
        assertEquals(1, t.liveCount("session"));
        assertEquals(0, t.liveCount("nothing"));
        assertEquals(List.of("device b-second: x", "session a-first", "device c-third"), t.listing());
        a.close();
        assertEquals(1, t.liveCount("device"));
        b.close();
        c.close();
        assertEquals(0, t.liveCount());
    }

    @Test
    void initTableNamesItsSteps() {
        InitTable table = new InitTable("panel").step("reset", () -> InitTable.Outcome.CONTINUE)
                .step("sleep-out", () -> InitTable.Outcome.CONTINUE, () -> { });
        assertEquals(List.of("reset", "sleep-out"), table.stepNames());
    }

    @Test
    void addAndBindToStringsAndRefs() throws Exception {
        Binding b = kit.bus().addAndBind(new BusDevice("r0", "recording", DeviceConfig.of("test")));
        assertSame(b, kit.bus().binding("r0").orElseThrow());
        assertEquals(List.of("r0"), kit.bus().devices().stream().map(BusDevice::name).toList());
        assertEquals(List.of("virtual-fb", "recording"), kit.bus().drivers().stream().map(Driver::name).toList());
        assertSame(kit.tracker(), kit.bus().tracker());
        assertEquals("Bus[" + kit.bus().name() + "]", kit.bus().toString());
        Device d = b.device();
        assertSame(b.device().display(), d.display());
        assertTrue(d.display() != null, "probe attached the display");
        assertEquals("Binding[" + d.id() + " recording]", b.toString());
        assertTrue(d.toString().startsWith("Device[" + d.id() + ", refs="), d.toString());
        DeviceRef ref = d.acquire("session 9");
        assertEquals("session 9", ref.holder());
        assertFalse(ref.isClosed());
        assertFalse(b.isUnbound());
        b.unbind();
        assertTrue(b.isUnbound());
        assertEquals("Binding[" + d.id() + " recording, unbound]", b.toString());
        ref.close();
        assertTrue(ref.isClosed());
        ref.close(); // exactly once: a second close drops nothing
        assertTrue(d.isReleased());
        assertEquals(1, d.releaseCount());
    }
}
