package org.paneld.daemon.ctl;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.paneld.client.EventListener;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.client.Session;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Info;
import org.paneld.protocol.Message.Touch;

/**
 * panelctl's view of one display's touches: a session on it (owner or not), the connection
 * subscribed to its TOUCH events, and the events in arrival order. {@link #next} returns them
 * one at a time and fails with ENODEV once the device is unplugged (never an UP after it).
 * Lifetime: one command. Threads: the client's event thread fills it, main reads it.
 */
final class TouchWatch implements EventListener, AutoCloseable {
    /** What {@link #next} returns when the session's device was unplugged. */
    private static final Touch GONE = new Touch(0, -1, 0, 0, 0, 0, 0, 0, 0, 0);

    private final PaneldClient client;
    private final Session session;
    private final BlockingQueue<Touch> events = new LinkedBlockingQueue<>();

    private TouchWatch(PaneldClient client, Session session) {
        this.client = client;
        this.session = session;
    }

    /**
     * Opens {@code device} (as owner when {@code owner}; it must then get ownership, else EBUSY)
     * and subscribes: an owner to TOUCH, an observer to TOUCH_OBSERVE. EOPNOTSUPP when the
     * device has no touch controller.
     */
    static TouchWatch open(PaneldClient c, String device, boolean owner) throws PaneldException {
        Info i = c.info(device);
        if ((i.flags() & Message.DEVICE_TOUCH) == 0) {
            throw new PaneldException(ErrorCode.EOPNOTSUPP, device + " has no touch controller (configure one in its [panel.touch] table)");
        }
        Session s = c.open(device, owner);
        if (owner && !s.isOwner()) {
            s.close();
            throw new PaneldException(ErrorCode.EBUSY, device + " is owned by another client: calibrate needs to draw on it");
        }
        TouchWatch w = new TouchWatch(c, s);
        c.addListener(w);
        c.subscribe(owner ? Message.SUB_TOUCH : Message.SUB_TOUCH_OBSERVE);
        return w;
    }

    Session session() {
        return session;
    }

    @Override
    public void touch(Session s, Touch t) {
        if (s == session) {
            events.add(t);
        }
    }

    @Override
    public void unplugged(Session s) {
        if (s == session) {
            events.add(GONE);
        }
    }

    @Override
    public void closed() {
        events.add(GONE);
    }

    /** The next event, or null after {@code timeoutMs}; ENODEV when the device went away. */
    Touch next(long timeoutMs) throws PaneldException {
        Touch t;
        try {
            t = events.poll(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaneldException(ErrorCode.EIO, "interrupted");
        }
        if (t == GONE) {
            events.add(GONE);
            throw new PaneldException(ErrorCode.ENODEV, session.device() + " was unplugged (or the connection closed)");
        }
        return t;
    }

    /** Waits for an event of {@code kind}, returning it; {@code seen} gets every event on the way. */
    Touch await(int kind, long timeoutMs, java.util.function.Consumer<Touch> seen) throws PaneldException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            Touch t = left <= 0 ? null : next(left);
            if (t == null) {
                throw new PaneldException(ErrorCode.ETIMEDOUT, "no " + kindName(kind) + " event from " + session.device() + " within "
                        + timeoutMs + " ms");
            }
            seen.accept(t);
            if (t.kind() == kind) {
                return t;
            }
        }
    }

    static String kindName(int kind) {
        return kind == Message.TOUCH_DOWN ? "down" : kind == Message.TOUCH_MOVE ? "move" : "up";
    }

    /** One event as panelctl prints it: {@code down x=10 y=20 slot=0 pressure=255 raw_x=220 raw_y=3620 t_us=… [owner] [dropped]}. */
    static String line(Touch t) {
        return t.kindName() + " x=" + t.x() + " y=" + t.y() + " slot=" + t.slot() + " pressure=" + t.pressure()
                + " raw_x=" + t.rawX() + " raw_y=" + t.rawY() + " t_us=" + t.timestampMicros()
                + ((t.flags() & Message.TOUCH_OWNER) != 0 ? " owner" : "") + ((t.flags() & Message.TOUCH_DROPPED) != 0 ? " dropped" : "");
    }

    @Override
    public void close() {
        client.removeListener(this);
    }
}
