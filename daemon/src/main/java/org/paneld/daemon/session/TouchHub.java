package org.paneld.daemon.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.paneld.drivers.display.TouchEvent;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.display.TouchListener;
import org.paneld.protocol.Message;

/**
 * Hands one display's touch reports to the sessions that may see them (PROTOCOL.md section 15):
 * the owner when its connection subscribed to TOUCH, and every session whose connection
 * subscribed to TOUCH_OBSERVE. The receivers of a contact are chosen at its DOWN and keep it to
 * its UP (an implicit grab), so no session gets a MOVE or UP without its DOWN. After
 * {@link #stop} (unplug) nothing more is delivered: an UP is never invented, nor passed on late.
 * Lifetime: its {@link DeviceSessions}' (listening from the first session opened to the last one
 * closed). Threads: {@link #onTouch} on the controller's sampling thread; never blocks (the
 * connections queue the events).
 */
final class TouchHub implements TouchListener {
    /** More contacts than any controller reports (the FT6236 has 2): a bound on the grab table. */
    private static final int MAX_SLOTS = 16;

    private final DeviceSessions sessions;
    private final TouchInput input;
    /** Receivers of each contact that is down, by slot. */
    private final Map<Integer, List<Session>> grabs = new HashMap<>();
    private boolean stopped;

    TouchHub(DeviceSessions sessions, TouchInput input) {
        this.sessions = sessions;
        this.input = input;
    }

    void start() {
        input.addListener(this);
    }

    /** Unplug or retire: no event is delivered from now on, the open contacts are forgotten (no UP). */
    void stop() {
        synchronized (this) {
            stopped = true;
            grabs.clear();
        }
        input.removeListener(this);
    }

    /**
     * Delivers under this hub's lock (the sinks only queue), so that once {@link #stop} returns no
     * delivery is under way: the UNPLUGGED sent after it follows every TOUCH of the display.
     */
    @Override
    public synchronized void onTouch(TouchEvent e) {
        if (stopped) {
            return;
        }
        List<Session> to;
        switch (e.kind()) {
            case DOWN:
                if (grabs.size() >= MAX_SLOTS && !grabs.containsKey(e.slot())) {
                    return;
                }
                to = receivers();
                grabs.put(e.slot(), to);
                break;
            case UP:
                to = grabs.remove(e.slot());
                break;
            default:
                to = grabs.get(e.slot());
        }
        if (to == null) {
            return; // a contact that started before anyone listened
        }
        int kind = e.kind() == TouchEvent.Kind.DOWN ? Message.TOUCH_DOWN : e.kind() == TouchEvent.Kind.MOVE ? Message.TOUCH_MOVE
                : Message.TOUCH_UP;
        for (Session s : to) {
            if (!s.isClosed()) {
                s.sink().touch(new Message.Touch(s.id(), kind, e.slot(), e.x(), e.y(), e.rawX(), e.rawY(), e.pressure(),
                        s.isOwner() ? Message.TOUCH_OWNER : 0, e.timestampMicros()));
            }
        }
    }

    /** Who gets a contact that starts now. */
    private List<Session> receivers() {
        List<Session> out = new ArrayList<>(2);
        for (Session s : sessions.sessions()) {
            int mask = s.sink().touchSubscription();
            if (!s.isClosed() && ((mask & Message.SUB_TOUCH_OBSERVE) != 0 || (mask & Message.SUB_TOUCH) != 0 && s.isOwner())) {
                out.add(s);
            }
        }
        return out;
    }
}
