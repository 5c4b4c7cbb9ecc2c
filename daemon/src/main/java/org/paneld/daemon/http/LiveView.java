package org.paneld.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.paneld.drivers.pixel.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live view's watchers (open {@code /events} streams, server-sent events) and the tick that
 * feeds them: at most {@code fps} times a second it lists the panels, and for each panel whose
 * frame counter or state moved it takes the picture once (off every device worker: here, on the
 * HTTP work thread), and when it differs from the last one (a 64-bit hash of the pixels) encodes
 * it as PNG once and offers the same bytes to every watcher.
 *
 * <p>Latest wins: a watcher whose connection is not writable (the previous picture still in its
 * socket) is skipped and gets the newest picture when it drains; one stuck for
 * {@value #STUCK_MS} ms is closed. So a watcher never slows a panel, and what is held per watcher
 * is at most one picture in its socket (64 KiB watermark, then nothing more is written).
 * Lifetime: the {@code [http]} endpoint's. Threads: {@link #add}/{@link #remove} from event
 * loops, {@link #tick} on the HTTP work thread only.
 */
final class LiveView {
    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
    static final long STUCK_MS = 10_000;
    private static final long STATUS_EVERY_NANOS = 1_000_000_000L;

    private final PanelDirectory directory;
    private final HttpMetrics metrics;
    private final int maxWatchers;
    private final Set<Watcher> watchers = new HashSet<>();            // under this
    private final Map<String, Cached> pictures = new HashMap<>();    // tick thread only
    private long lastStatus;
    private String lastStatusText = "";
    private volatile long picturesEncoded;
    private volatile long pictureNanos;

    LiveView(PanelDirectory directory, HttpMetrics metrics, int maxWatchers) {
        this.directory = directory;
        this.metrics = metrics;
        this.maxWatchers = maxWatchers;
    }

    /** Adds a watcher; false when {@code maxWatchers} are open already. */
    synchronized boolean add(Channel ch) {
        if (watchers.size() >= maxWatchers) {
            return false;
        }
        watchers.add(new Watcher(ch));
        return true;
    }

    synchronized void remove(Channel ch) {
        watchers.removeIf(w -> w.ch == ch);
    }

    synchronized int watcherCount() {
        return watchers.size();
    }

    /** Pictures taken and encoded so far (tests, bench). */
    long picturesEncoded() {
        return picturesEncoded;
    }

    /** One round: status and new pictures to every writable watcher. HTTP work thread. */
    void tick() {
        List<Watcher> ws;
        synchronized (this) {
            if (watchers.isEmpty()) {
                releasePictures();
                return;
            }
            ws = new ArrayList<>(watchers);
        }
        long now = System.nanoTime();
        List<PanelDirectory.Row> rows = directory.panels();
        String status = statusJson(rows, now);
        boolean statusDue = !status.equals(lastStatusText) || now - lastStatus >= STATUS_EVERY_NANOS;
        ByteBuf statusEvent = null;
        if (statusDue) {
            statusEvent = event("status", status);
            lastStatus = now;
            lastStatusText = status;
        }
        Set<String> names = new HashSet<>();
        for (PanelDirectory.Row r : rows) {
            names.add(r.name());
            String seen = r.state() + "/" + metrics.meter(r.name()).version() + "/" + r.width() + "x" + r.height();
            Cached c = pictures.get(r.name());
            if (c == null || !c.seen.equals(seen)) {
                Cached next = picture(r.name(), r.state(), seen, c);
                if (next != null && next != c) {
                    if (c != null) {
                        c.event.release();
                    }
                    pictures.put(r.name(), next);
                } else if (next == c) {
                    c.seen = seen; // a new frame with the same picture: nothing to send
                }
            }
        }
        pictures.entrySet().removeIf(e -> {
            if (!names.contains(e.getKey())) {
                e.getValue().event.release();
                return true;
            }
            return false;
        });
        try {
            for (Watcher w : ws) {
                w.offer(statusEvent, pictures, now);
            }
        } finally {
            if (statusEvent != null) {
                statusEvent.release();
            }
        }
    }

    /** Nanoseconds spent taking and encoding pictures so far (bench). */
    long pictureNanos() {
        return pictureNanos;
    }

    /** The new picture of {@code name}: a new entry, {@code previous} when the picture is the same, or null (none). */
    private Cached picture(String name, String state, String seen, Cached previous) {
        long t0 = System.nanoTime();
        try {
            return pictureTimed(name, state, seen, previous);
        } finally {
            pictureNanos += System.nanoTime() - t0;
        }
    }

    private Cached pictureTimed(String name, String state, String seen, Cached previous) {
        RgbImage img;
        try {
            img = directory.picture(name);
        } catch (RuntimeException e) {
            LOG.debug("live view: picture of {}: {}", name, e.toString());
            return null;
        }
        if (img == null) {
            return null;
        }
        String content = state + "/" + img.width() + "x" + img.height() + "/" + Long.toHexString(hash(img.rgb()));
        if (previous != null && previous.content.equals(content)) {
            return previous;
        }
        byte[] png = Png.encode(img);
        picturesEncoded++;
        byte[] head = ("event: frame\ndata: {\"name\":" + Json.str(name) + ",\"width\":" + img.width() + ",\"height\":"
                + img.height() + ",\"png\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] body = Base64.getEncoder().encode(png);
        byte[] tail = "\"}\n\n".getBytes(StandardCharsets.UTF_8);
        // one direct buffer, shared by every watcher (no copy per socket)
        ByteBuf ev = ByteBufAllocator.DEFAULT.directBuffer(head.length + body.length + tail.length);
        return new Cached(seen, content, ev.writeBytes(head).writeBytes(body).writeBytes(tail));
    }

    /** FNV-1a, 64 bits, over the pixels: tells a new picture from the same one sent again. */
    static long hash(int[] rgb) {
        long h = 0xcbf29ce484222325L;
        for (int p : rgb) {
            h = (h ^ p) * 0x100000001b3L;
        }
        return h;
    }

    private String statusJson(List<PanelDirectory.Row> rows, long now) {
        StringBuilder sb = new StringBuilder("[");
        for (PanelDirectory.Row r : rows) {
            double[] rate = metrics.meter(r.name()).rates(now);
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append("{\"name\":").append(Json.str(r.name())).append(",\"driver\":").append(Json.str(r.driver()))
                    .append(",\"backend\":").append(Json.str(r.backend()))
                    .append(",\"width\":").append(r.width()).append(",\"height\":").append(r.height())
                    .append(",\"state\":").append(Json.str(r.state())).append(",\"owner\":").append(Json.str(r.owner()))
                    .append(",\"fps\":").append(Math.round(rate[0] * 10) / 10.0)
                    .append(",\"bytesPerSecond\":").append(Math.round(rate[1])).append('}');
        }
        return sb.append(']').toString();
    }

    private static ByteBuf event(String type, String json) {
        return Unpooled.wrappedBuffer(("event: " + type + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Drops the cached pictures (nobody watches). */
    private void releasePictures() {
        for (Cached c : pictures.values()) {
            c.event.release();
        }
        pictures.clear();
    }

    /** At close: every watcher's stream ends, the cache goes. HTTP work thread (or after it stopped). */
    void close() {
        List<Watcher> ws;
        synchronized (this) {
            ws = new ArrayList<>(watchers);
            watchers.clear();
        }
        for (Watcher w : ws) {
            w.ch.close();
        }
        releasePictures();
    }

    /** One panel's last picture event: {@code seen} the frame/state it was taken at, {@code content} what it shows. */
    private static final class Cached {
        String seen;
        final String content;
        final ByteBuf event;

        Cached(String seen, String content, ByteBuf event) {
            this.seen = seen;
            this.content = content;
            this.event = event;
        }
    }

    /** One open /events stream: the picture keys it was sent, per panel. */
    private static final class Watcher {
        final Channel ch;
        final Map<String, String> sent = new HashMap<>();
        long unwritableSince;

        Watcher(Channel ch) {
            this.ch = ch;
        }

        void offer(ByteBuf status, Map<String, Cached> pictures, long now) {
            if (!ch.isActive()) {
                return;
            }
            if (!ch.isWritable()) {
                if (unwritableSince == 0) {
                    unwritableSince = now;
                } else if (now - unwritableSince > STUCK_MS * 1_000_000L) {
                    LOG.info("live view: closing {}: it has not read its stream for {} s", ch.remoteAddress(), STUCK_MS / 1000);
                    ch.close();
                }
                return; // latest wins: it gets the newest picture when it drains
            }
            unwritableSince = 0;
            boolean wrote = false;
            if (status != null) {
                ch.write(new DefaultHttpContent(status.retainedDuplicate()), ch.voidPromise());
                wrote = true;
            }
            for (Map.Entry<String, Cached> e : pictures.entrySet()) {
                Cached c = e.getValue();
                if (!c.content.equals(sent.get(e.getKey()))) {
                    ch.write(new DefaultHttpContent(c.event.retainedDuplicate()), ch.voidPromise());
                    sent.put(e.getKey(), c.content);
                    wrote = true;
                }
            }
            sent.keySet().retainAll(pictures.keySet());
            if (wrote) {
                ch.flush();
            }
        }
    }
}
