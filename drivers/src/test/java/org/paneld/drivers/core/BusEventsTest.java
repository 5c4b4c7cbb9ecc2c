package org.paneld.drivers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;

/**
 * What a bus tells its listeners and callers: events in order for add, bind, unbind, yank and
 * remove (a failing listener does not silence the others), the listings, the names in its errors,
 * unbindAll's order and close(); and a device's reference bookkeeping as describeRefs shows it.
 * Written from the survivors of {@code bench/run mutation} (group core).
 */
class BusEventsTest {
    private final RecordingDriver recording = new RecordingDriver();

    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver(), recording);

    private final List<String> events = new CopyOnWriteArrayList<>();

    private BusDevice addRecording(String name) throws DeviceException {
        return kit.add(new BusDevice(name, "recording", DeviceConfig.of("test")));
    }

    private BusListener recorder() {
        return new BusListener() {
            @Override
            public void deviceAdded(BusDevice device) {
                events.add("added " + device.name());
            }

            @Override
            public void deviceBound(Binding binding) {
                events.add("bound " + binding.busDevice().name());
            }

            @Override
            public void deviceUnbound(Binding binding, boolean surprise) {
                events.add((surprise ? "yanked " : "unbound ") + binding.busDevice().name());
            }

            @Override
            public void deviceRemoved(BusDevice device) {
                events.add("removed " + device.name());
            }
        };
    }

    @Test
    void listenersHearEveryStepInOrderEvenAfterAFailingListener() throws Exception {
        kit.bus().addListener(new BusListener() {
            @Override
            public void deviceAdded(BusDevice device) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void deviceBound(Binding binding) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void deviceUnbound(Binding binding, boolean surprise) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void deviceRemoved(BusDevice device) {
                throw new IllegalStateException("listener bug");
            }
        });
        kit.bus().addListener(recorder());
        addRecording("r0");
        kit.bind("r0");
        kit.bus().unbind("r0");
        Binding again = kit.bind("r0");
        again.yank();
        Binding third = kit.bind("r0");
        kit.bus().remove("r0");
        assertTrue(third.isEnding());
        assertTrue(third.isUnbound());
        assertEquals(List.of("added r0", "bound r0", "unbound r0", "bound r0", "yanked r0", "bound r0",
                "yanked r0", "removed r0"), events);
    }

    @Test
    void aRemovedListenerHearsNothing() throws Exception {
        BusListener l = recorder();
        kit.bus().addListener(l);
        kit.bus().removeListener(l);
        addRecording("r0");
        assertEquals(List.of(), events);
    }

    @Test
    void listingsAndErrorsNameTheBusDeviceAndDrivers() throws Exception {
        BusDevice r0 = addRecording("r0");
        addRecording("r1");
        assertEquals(List.of("r0", "r1"), kit.bus().devices().stream().map(BusDevice::name).sorted().toList());
        assertSame(r0, kit.bus().device("r0").orElseThrow());
        assertEquals(List.of(), kit.bus().bindings());
        assertTrue(kit.bus().binding("r0").isEmpty());
        Binding b = kit.bind("r0");
        assertEquals(List.of(b), kit.bus().bindings());
        assertSame(b, kit.bus().binding("r0").orElseThrow());
        assertFalse(b.isEnding());
        assertSame(kit.bus(), b.bus());
        assertEquals("recording", b.driver().name());

        String bus = kit.bus().name();
        assertFalse(bus.isEmpty());
        DeviceException none = assertThrows(DeviceException.class, () -> kit.bus().bind("nope"));
        assertEquals(Errno.ENOENT, none.errno());
        assertEquals("no device named nope on bus " + bus, none.getMessage());
        DeviceException gone = assertThrows(DeviceException.class, () -> kit.bus().remove("nope"));
        assertEquals("no device named nope on bus " + bus, gone.getMessage());
        DeviceException notBound = assertThrows(DeviceException.class, () -> kit.bus().unbind("r1"));
        assertEquals(Errno.ENOENT, notBound.errno());
        assertEquals("r1 is not bound", notBound.getMessage());
        DeviceException busy = assertThrows(DeviceException.class, () -> kit.bus().bind("r0"));
        assertEquals(Errno.EBUSY, busy.errno());

        kit.add(new BusDevice("x0", "no-such-driver", DeviceConfig.of("test")));
        DeviceException noDriver = assertThrows(DeviceException.class, () -> kit.bus().bind("x0"));
        assertEquals(Errno.ENOENT, noDriver.errno());
        assertTrue(noDriver.getMessage().endsWith("(known drivers: virtual-fb, recording)"), noDriver.getMessage());
    }

    @Test
    void unbindAllGoesLastBoundFirstAndCloseRemovesEveryDevice() throws Exception {
        kit.bus().addListener(recorder());
        addRecording("r0");
        addRecording("r1");
        addRecording("r2");
        String id0 = kit.bind("r0").device().id();
        String id2 = kit.bind("r2").device().id();
        String id1 = kit.bind("r1").device().id();
        recording.log.clear();
        kit.bus().unbindAll();
        List<String> disables = recording.log.stream().filter(s -> s.startsWith("disable")).toList();
        assertEquals(List.of("disable " + id1, "disable " + id2, "disable " + id0), disables);
        assertEquals(List.of(), kit.bus().bindings());
        assertEquals(3, kit.bus().devices().size(), "devices stay on the bus");

        kit.bind("r0");
        events.clear();
        kit.bus().close();
        assertEquals(List.of(), kit.bus().devices());
        assertEquals(List.of(), kit.bus().bindings());
        assertTrue(events.contains("unbound r0"), events.toString());
        assertEquals(List.of("removed r0", "removed r1", "removed r2"),
                events.stream().filter(s -> s.startsWith("removed")).sorted().toList());
    }

    @Test
    void referencesAreCountedPerHolderAndShown() throws Exception {
        addRecording("r0");
        Binding b = kit.bind("r0");
        Device d = b.device();
        int base = d.refCount();
        assertTrue(base >= 1, "the binding holds it");
        assertFalse(d.describeRefs().contains("anonymous"));

        assertSame(d, d.get());
        d.get();
        assertEquals(base + 2, d.refCount());
        assertTrue(d.describeRefs().contains("anonymous x2"), d.describeRefs());
        DeviceRef s3 = d.acquire("session 3");
        assertEquals(base + 3, d.refCount());
        assertTrue(d.describeRefs().startsWith("refs=" + (base + 3) + " ["), d.describeRefs());
        assertTrue(d.describeRefs().contains(", session 3") || d.describeRefs().contains("[session 3"), d.describeRefs());
        assertFalse(d.describeRefs().contains("session 3 x"), d.describeRefs());
        d.put();
        assertTrue(d.describeRefs().contains("anonymous]") || d.describeRefs().contains("anonymous,"), d.describeRefs());
        assertFalse(d.describeRefs().contains("anonymous x"), d.describeRefs());
        d.put();
        assertFalse(d.describeRefs().contains("anonymous"), d.describeRefs());
        IllegalStateException e = assertThrows(IllegalStateException.class, d::put);
        assertTrue(e.getMessage().contains("'anonymous', which holds no reference"), e.getMessage());
        assertEquals(base + 1, d.refCount(), "a refused put changes nothing");

        List<Device> unplugged = new CopyOnWriteArrayList<>();
        d.addUnplugListener(unplugged::add);
        assertFalse(d.isUnplugged());
        assertFalse(d.describeRefs().endsWith(" unplugged"));
        b.yank();
        assertTrue(d.isUnplugged());
        assertEquals(List.of(d), unplugged, "unplug listeners hear it once");
        assertTrue(d.describeRefs().endsWith(" unplugged"), d.describeRefs());
        assertFalse(d.isReleased(), "session 3 still holds it");
        s3.close();
        assertTrue(d.isReleased());
        assertEquals(1, d.releaseCount());
        assertEquals(0, d.refCount());
        assertThrows(IllegalStateException.class, d::get, "a released device cannot be revived");
    }
}
