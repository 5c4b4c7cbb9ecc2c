package org.paneld.daemon.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.paneld.daemon.session.ClientBuffer;
import org.paneld.daemon.session.DeviceSessions;
import org.paneld.daemon.session.Session;
import org.paneld.drivers.pixel.Rect;

/**
 * A queued FLUSH that later FLUSHes of the same session and buffer join while it waits (frame
 * pacing: when requests arrive faster than the wire takes them, the pending update becomes the
 * union of their damage with the newest pixels, and every joined request is answered, in order,
 * when it reaches the panel: "shown or superseded"). At most {@value #MAX_RECTS} rectangles
 * (more collapse to their bounding rectangle) and {@value #MAX_REQUESTS} requests (then a new
 * batch starts). Lifetime: from the FLUSH that opened it to its replies. Threads: built on the
 * event loop, absorbs there under its lock, runs on the device worker.
 */
final class FlushBatch implements DeviceSessions.Mergeable {
    static final int MAX_RECTS = 16;
    static final int MAX_REQUESTS = 1024;

    private final Session session;
    private final ClientBuffer buffer;
    private List<Rect> rects;
    private int[] ids;
    private int count;
    private boolean started;

    FlushBatch(Session session, ClientBuffer buffer, List<Rect> rects, int id) {
        this.session = session;
        this.buffer = buffer;
        this.rects = new ArrayList<>(rects);
        this.ids = new int[] {id};
        this.count = 1;
        collapse();
    }

    @Override
    public synchronized boolean absorb(DeviceSessions.Mergeable later) {
        if (started || !(later instanceof FlushBatch) || count >= MAX_REQUESTS) {
            return false;
        }
        FlushBatch f = (FlushBatch) later;
        if (f.session != session || f.buffer != buffer) {
            return false;
        }
        rects.addAll(f.rects);
        collapse();
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, Math.min(MAX_REQUESTS, ids.length * 2));
        }
        ids[count++] = f.ids[0];
        return true;
    }

    private void collapse() {
        if (rects.size() > MAX_RECTS) {
            Rect box = rects.get(0);
            for (Rect r : rects) {
                box = box.union(r);
            }
            rects = new ArrayList<>(List.of(box));
        }
    }

    /** Closes the batch (nothing joins from now) and returns its request ids and damage. Worker. */
    synchronized Object[] start() {
        started = true;
        return new Object[] {Arrays.copyOf(ids, count), List.copyOf(rects)};
    }

    Session session() {
        return session;
    }

    ClientBuffer buffer() {
        return buffer;
    }
}
