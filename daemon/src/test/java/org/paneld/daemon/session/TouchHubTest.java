package org.paneld.daemon.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.display.TouchCalibration;
import org.paneld.drivers.display.TouchEvent;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.display.TouchListener;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.VirtualFbDriver;
import org.paneld.protocol.Message;

/**
 * The daemon's own guarantee, whatever the touch driver does: once the device is unplugged no
 * TOUCH reaches a session (a controller that still reports an UP after unplug is not passed on),
 * and the hub stops listening when the last session closes. The controller here is a fake that
 * reports whatever the test says, at any time.
 */
class TouchHubTest {
    /** Reports on demand, never stops by itself; counts its listeners. */
    static final class Chatty implements TouchInput {
        final List<TouchListener> listeners = new CopyOnWriteArrayList<>();

        void report(TouchEvent.Kind kind) {
            for (TouchListener l : listeners) {
                l.onTouch(new TouchEvent(kind, 0, 1, 2, 3, 4, 100, System.nanoTime() / 1000));
            }
        }

        @Override
        public int maxContacts() {
            return 1;
        }

        @Override
        public String driver() {
            return "chatty";
        }

        @Override
        public void addListener(TouchListener l) {
            listeners.add(l);
        }

        @Override
        public void removeListener(TouchListener l) {
            listeners.remove(l);
        }

        @Override
        public TouchCalibration calibration() {
            return new TouchCalibration(1, 0, 0, 0, 1, 0, 1);
        }

        @Override
        public void setCalibration(TouchCalibration c) {
        }
    }

    final Chatty chatty = new Chatty();

    /** virtual-fb with the chatty controller. */
    final class ChattyFb implements Driver {
        final VirtualFbDriver inner = new VirtualFbDriver();

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void validate(DeviceConfig config) throws org.paneld.drivers.core.ConfigException {
            inner.validate(config);
        }

        @Override
        public Display probe(Device device) throws Exception {
            Display d = inner.probe(device);
            return new Display() {
                public DisplayInfo info() { return d.info(); }
                public void enable() throws java.io.IOException { d.enable(); }
                public void disable() throws java.io.IOException { d.disable(); }
                public void flush(org.paneld.drivers.pixel.Framebuffer s, org.paneld.drivers.pixel.Rect r) throws java.io.IOException { d.flush(s, r); }
                public void setProperty(String n, long v) throws java.io.IOException { d.setProperty(n, v); }
                public Optional<TouchInput> touch() { return Optional.of(chatty); }
            };
        }
    }

    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(new ChattyFb());

    /** A connection subscribed to TOUCH that records what it is sent. */
    static final class Sink implements EventSink {
        final List<Message> got = new CopyOnWriteArrayList<>();

        @Override
        public void event(Message event) {
            got.add(event);
        }

        @Override
        public String describe() {
            return "test sink";
        }

        @Override
        public int touchSubscription() {
            return Message.SUB_TOUCH;
        }
    }

    @Test
    void nothingAfterUnplugEvenWhenTheControllerStillReports() throws Exception {
        kit.addVirtual("tp", "virtual-fb", "width", 16, "height", 16);
        kit.bind("tp");
        SessionManager m = new SessionManager(kit.tracker());
        Sink sink = new Sink();
        Session s = m.open(kit.device("tp"), 1, sink, "test session", true);
        assertEquals(1, chatty.listeners.size(), "the hub listens while a session is open");
        chatty.report(TouchEvent.Kind.DOWN);
        assertEquals(new Message.Touch(1, Message.TOUCH_DOWN, 0, 1, 2, 3, 4, 100, Message.TOUCH_OWNER,
                ((Message.Touch) sink.got.get(0)).timestampMicros()), sink.got.get(0));
        kit.bus().binding("tp").orElseThrow().yank();
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.got.contains(new Message.Unplugged(1, "tp")));
        chatty.report(TouchEvent.Kind.UP); // a driver that did not stop: the daemon does not pass it on
        chatty.report(TouchEvent.Kind.DOWN);
        assertEquals(List.of(Message.Touch.class, Message.Unplugged.class), sink.got.stream().map(Object::getClass).toList(),
                sink.got.toString());
        assertEquals(0, chatty.listeners.size(), "stopped at unplug");
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        s.close(closed::countDown);
        assertTrue(closed.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, m.sessionCount());
    }

    @Test
    void theHubListensOnlyWhileSessionsAreOpen() throws Exception {
        kit.addVirtual("tp", "virtual-fb", "width", 16, "height", 16);
        kit.bind("tp");
        assertEquals(0, chatty.listeners.size(), "no session, no listener");
        SessionManager m = new SessionManager(kit.tracker());
        Sink sink = new Sink();
        Session s = m.open(kit.device("tp"), 1, sink, "test session", false);
        chatty.report(TouchEvent.Kind.DOWN);
        chatty.report(TouchEvent.Kind.UP);
        assertEquals(List.of(), sink.got, "TOUCH alone: a session that does not own the display gets nothing");
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        s.close(closed::countDown);
        assertTrue(closed.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, chatty.listeners.size(), "the last session closed: the hub stopped listening");
    }
}
