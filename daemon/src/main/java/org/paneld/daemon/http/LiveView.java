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
 * HTTP work thread), encodes it as PNG once, and offers the same bytes to every watcher.
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
            String key = r.state() + "/" + metrics.meter(r.name()).version() + "/" + r.width() + "x" + r.height();
            Cached c = pictures.get(r.name());
            if (c == null || !c.key.equals(key)) {
                ByteBuf ev = pictureEvent(r.name());
                if (ev != null) {
                    if (c != null) {
                        c.event.release();
                    }
                    pictures.put(r.name(), new Cached(key, ev, c == null ? 1 : c.seq + 1));
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

    private ByteBuf pictureEvent(String name) {
        long t0 = System.nanoTime();
        try {
            return pictureEventTimed(name);
        } finally {
            pictureNanos += System.nanoTime() - t0;
        }
    }

    private ByteBuf pictureEventTimed(String name) {
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
        byte[] png = Png.encode(img);
        picturesEncoded++;
        byte[] head = ("event: frame\ndata: {\"name\":" + Json.str(name) + ",\"width\":" + img.width() + ",\"height\":"
                + img.height() + ",\"png\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] body = Base64.getEncoder().encode(png);
        byte[] tail = "\"}\n\n".getBytes(StandardCharsets.UTF_8);
        // one direct buffer, shared by every watcher (no copy per socket)
        ByteBuf ev = ByteBufAllocator.DEFAULT.directBuffer(head.length + body.length + tail.length);
        return ev.writeBytes(head).writeBytes(body).writeBytes(tail);
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

    private record Cached(String key, ByteBuf event, long seq) {
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
                if (!c.key.equals(sent.get(e.getKey()))) {
                    ch.write(new DefaultHttpContent(c.event.retainedDuplicate()), ch.voidPromise());
                    sent.put(e.getKey(), c.key);
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
