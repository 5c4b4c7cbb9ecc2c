package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.drivers.virtual.VirtualFbTouch;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.*;

/**
 * TOUCH delivery (PROTOCOL.md section 15) over real sockets, read frame by frame: the owner gets
 * a display's touches only after SUBSCRIBE TOUCH, observers with TOUCH_OBSERVE, everyone else
 * nothing; a contact stays with the sessions that got its DOWN; unplug with the finger down ends
 * in UNPLUGGED and ENODEV, never an UP. The touches come from ADMIN_TOUCH on a virtual-fb touch
 * ("tp0"): its reply is sent after the event was queued for every receiver, and a receiver's
 * next reply comes after every TOUCH queued for it, so "nothing arrived" is exact, not timed.
 */
class TouchDeliveryTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new VirtualFbDriver());
    TestDaemon d;

    @BeforeEach
    void start() throws Exception {
        kit.addVirtual("tp0", "virtual-fb", "width", 64, "height", 48, "touch.driver", "virtual-fb");
        kit.bind("tp0");
        d = new TestDaemon(kit);
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    /** Sends {@code m}, returns the events read before its answer, then the answer. */
    private static List<Message> exchange(RawClient c, Message m) throws Exception {
        int id = c.send(m);
        List<Message> seen = new ArrayList<>();
        while (true) {
            Frame f = c.read();
            seen.add(f.message());
            if (f.id() == id) {
                return seen;
            }
            assertEquals(0, f.id(), "only events arrive between: " + f);
        }
    }

    /** The TOUCH events that arrived before a round trip (every one queued until now). */
    private static List<Touch> touches(RawClient c) throws Exception {
        List<Touch> t = new ArrayList<>();
        for (Message m : exchange(c, new ListDevices())) {
            if (m instanceof Touch) {
                t.add((Touch) m);
            }
        }
        return t;
    }

    private static int open(RawClient c, String device, boolean owner) throws Exception {
        List<Message> r = exchange(c, new Open(owner ? Message.OPEN_OWNER : 0, device));
        Opened o = (Opened) r.get(r.size() - 1);
        assertEquals(owner, (o.flags() & Message.OPEN_OWNER) != 0, "ownership as asked");
        return o.session();
    }

    private static void ok(RawClient c, Message m) throws Exception {
        List<Message> r = exchange(c, m);
        assertEquals(new Ok(m.type()), r.get(r.size() - 1));
    }

    private static String kinds(List<Touch> t) {
        StringBuilder sb = new StringBuilder();
        for (Touch x : t) {
            sb.append(sb.length() == 0 ? "" : " ").append(x.kindName()).append('@').append(x.session()).append(':')
                    .append(x.x()).append(',').append(x.y()).append((x.flags() & Message.TOUCH_OWNER) != 0 ? "o" : "");
        }
        return sb.toString();
    }

    @Test
    void ownerAndObserversGetTouchesOthersNothing() throws Exception {
        try (RawClient admin = RawClient.hello(d.socket); RawClient owner = RawClient.hello(d.socket);
             RawClient silent = RawClient.hello(d.socket); RawClient notOwner = RawClient.hello(d.socket);
             RawClient observer = RawClient.hello(d.socket); RawClient elsewhere = RawClient.hello(d.socket)) {
            List<Message> info = exchange(admin, new DeviceInfo(0, "tp0"));
            assertEquals(Message.DEVICE_TOUCH, ((Info) info.get(info.size() - 1)).flags() & Message.DEVICE_TOUCH);
            List<Message> fb = exchange(admin, new DeviceInfo(0, "fb0"));
            assertEquals(0, ((Info) fb.get(fb.size() - 1)).flags() & Message.DEVICE_TOUCH, "fb0 has no touch");
            int so = open(owner, "tp0", true);
            ok(owner, new Subscribe(Message.SUB_TOUCH));
            open(silent, "tp0", false); // no subscription at all
            open(notOwner, "tp0", false);
            ok(notOwner, new Subscribe(Message.SUB_TOUCH)); // TOUCH alone: owned displays only
            int sv = open(observer, "tp0", false);
            ok(observer, new Subscribe(Message.SUB_TOUCH_OBSERVE));
            open(elsewhere, "fb0", true);
            ok(elsewhere, new Subscribe(Message.SUB_TOUCH | Message.SUB_TOUCH_OBSERVE)); // another display

            ok(admin, new AdminTouch("tp0", Message.TOUCH_PRESS, 10, 20));
            ok(admin, new AdminTouch("tp0", Message.TOUCH_PRESS, 12, 21));
            ok(admin, new AdminTouch("tp0", Message.TOUCH_RELEASE, 0, 0));

            List<Touch> o = touches(owner);
            assertEquals("down@" + so + ":10,20o move@" + so + ":12,21o up@" + so + ":12,21o", kinds(o));
            assertEquals(VirtualFbTouch.rawX(10), o.get(0).rawX());
            assertEquals(VirtualFbTouch.rawY(20), o.get(0).rawY());
            assertEquals(255, o.get(0).pressure());
            assertTrue(o.get(0).timestampMicros() <= o.get(1).timestampMicros() && o.get(1).timestampMicros() <= o.get(2).timestampMicros());
            long now = System.nanoTime() / 1000;
            assertTrue(now - o.get(2).timestampMicros() < 60_000_000L && now >= o.get(2).timestampMicros(), "monotonic microseconds");
            assertEquals("down@" + sv + ":10,20 move@" + sv + ":12,21 up@" + sv + ":12,21", kinds(touches(observer)));
            assertEquals(List.of(), touches(silent));
            assertEquals(List.of(), touches(notOwner));
            assertEquals(List.of(), touches(elsewhere));
        }
    }

    @Test
    void aContactStaysWithTheSessionsThatGotItsDown() throws Exception {
        try (RawClient admin = RawClient.hello(d.socket); RawClient first = RawClient.hello(d.socket);
             RawClient next = RawClient.hello(d.socket)) {
            int s1 = open(first, "tp0", true);
            ok(first, new Subscribe(Message.SUB_TOUCH));
            int s2 = open(next, "tp0", false);
            ok(next, new Subscribe(Message.SUB_TOUCH));
            assertEquals(ErrorCode.EBUSY, ((Message.Error) exchange(next, new AcquireOwnership(s2)).get(0)).code(), "waits in line");

            ok(admin, new AdminTouch("tp0", Message.TOUCH_PRESS, 1, 2));
            List<Touch> a = new ArrayList<>();
            for (Message m : exchange(first, new ReleaseOwnership(s1))) { // ownership passes mid-contact
                if (m instanceof Touch) {
                    a.add((Touch) m);
                }
            }
            ok(admin, new AdminTouch("tp0", Message.TOUCH_PRESS, 3, 4));
            ok(admin, new AdminTouch("tp0", Message.TOUCH_RELEASE, 0, 0));
            a.addAll(touches(first));
            assertEquals(List.of(Message.TOUCH_DOWN, Message.TOUCH_MOVE, Message.TOUCH_UP), a.stream().map(Touch::kind).toList(),
                    "the contact is finished where it began: " + kinds(a));
            List<Message> b = exchange(next, new ListDevices());
            assertEquals(List.of(), b.stream().filter(m -> m instanceof Touch).toList(), "no MOVE or UP without its DOWN");

            ok(admin, new AdminTouch("tp0", Message.TOUCH_PRESS, 5, 6));
            ok(admin, new AdminTouch("tp0", Message.TOUCH_RELEASE, 0, 0));
            assertEquals("down@" + s2 + ":5,6o up@" + s2 + ":5,6o", kinds(touches(next)));
            assertEquals(List.of(), touches(first), "the old owner no longer gets new contacts");
        }
    }

    @Test
    void unplugWithTheFingerDownEndsInEnodevNeverAnUp() throws Exception {
        try (RawClient admin = RawClient.hello(d.socket); RawClient owner = RawClient.hello(d.socket)) {
            int s = open(owner, "tp0", true);
            ok(owner, new Subscribe(Message.SUB_TOUCH));
            ok(admin, new AdminTouch("tp0", Message.TOUCH_PRESS, 7, 8));
            ok(admin, new AdminDevice(Message.ADMIN_UNPLUG, "tp0"));
            List<Message> seen = new ArrayList<>();
            while (!seen.contains(new Unplugged(s, "tp0"))) { // the event may come after the admin's reply
                seen.add(owner.read().message());
            }
            assertEquals(List.of(new Unplugged(s, "tp0")), seen.subList(seen.size() - 1, seen.size()));
            assertEquals(List.of(Message.TOUCH_DOWN), seen.stream().filter(m -> m instanceof Touch).map(m -> ((Touch) m).kind()).toList(),
                    "the DOWN, then UNPLUGGED: " + seen);
            List<Message> after = exchange(owner, new SetProperty(s, "backlight", 10));
            assertEquals(1, after.size(), "nothing but the answer: " + after);
            assertEquals(ErrorCode.ENODEV, ((Message.Error) after.get(0)).code());
            // the finger lifts after unplug (the device may still be on its way out, or gone: Ok or ENOENT): no UP
            List<Message> lift = exchange(admin, new AdminTouch("tp0", Message.TOUCH_RELEASE, 0, 0));
            Message answer = lift.get(lift.size() - 1);
            assertTrue(answer.equals(new Ok(Message.ADMIN_TOUCH)) || ((Message.Error) answer).code() == ErrorCode.ENOENT, answer.toString());
            assertEquals(List.of(), touches(owner));
            ok(owner, new Close(s));
        }
    }

    @Test
    void adminTouchAndCalibrateRefuseWhatTheyCannotDo() throws Exception {
        try (RawClient admin = RawClient.hello(d.socket)) {
            assertError(admin, new AdminTouch("fb0", Message.TOUCH_PRESS, 1, 1), ErrorCode.EOPNOTSUPP, "fb0 has no touch controller");
            assertError(admin, new AdminTouch("nope", Message.TOUCH_PRESS, 1, 1), ErrorCode.ENOENT, "nope");
            assertError(admin, new AdminTouch("tp0", Message.TOUCH_PRESS, 64, 1), ErrorCode.EINVAL, "outside tp0's 64x48 display");
            assertError(admin, new AdminTouch("tp0", 7, 1, 1), ErrorCode.EINVAL, "action 7 is unknown");
            assertError(admin, new AdminCalibrate("tp0", List.of(1L, 2L, 3L, 2L, 4L, 6L, 1L)), ErrorCode.EINVAL, "onto one line");
            assertError(admin, new AdminCalibrate("tp0", List.of(1L, 0L, 0L, 0L, 1L, 0L, 0L)), ErrorCode.EINVAL, "scale must be positive");
            assertError(admin, new AdminCalibrate("fb1", List.of(1L, 0L, 0L, 0L, 1L, 0L, 1L)), ErrorCode.EOPNOTSUPP, "no touch");
            // a good one applies at once: raw = 100 + 12x, 3900 - 14y, now mapped by x = raw_x, y = raw_y / 100
            ok(admin, new AdminCalibrate("tp0", List.of(1L, 0L, 0L, 0L, 1L, 0L, 1L)));
            try (RawClient owner = RawClient.hello(d.socket)) {
                open(owner, "tp0", true);
                ok(owner, new Subscribe(Message.SUB_TOUCH));
                ok(admin, new AdminTouch("tp0", Message.TOUCH_PRESS, 0, 47));
                Touch t = touches(owner).get(0);
                assertEquals(63, t.x(), "raw 100 through the identity, clamped to the display");
                assertEquals(47, t.y());
                assertEquals(VirtualFbTouch.rawY(47), t.rawY());
            }
        }
    }

    private static void assertError(RawClient c, Message m, ErrorCode code, String text) throws Exception {
        List<Message> r = exchange(c, m);
        Message.Error e = (Message.Error) r.get(r.size() - 1);
        assertEquals(code, e.code(), e.toString());
        assertTrue(e.message().contains(text), e.message());
    }
}
