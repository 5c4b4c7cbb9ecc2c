package org.paneld.client;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.paneld.protocol.ErrorCode;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.*;

/**
 * A session on one device (the client's "fd"): create buffers, flush, flip, set properties,
 * take or give up ownership. {@link #close()} closes it on the server (its buffers go with it).
 * After the device is unplugged every request but close fails with ENODEV ({@link #isUnplugged()}).
 * Lifetime: OPEN to close. Threads: any.
 */
public final class Session implements AutoCloseable {
    private final PaneldClient client;
    private final String device;
    private final int id;
    private final int width;
    private final int height;
    private volatile boolean owner;
    private volatile boolean unplugged;
    private volatile boolean closed;
    private final Map<Integer, CompletableFuture<FlipComplete>> flips = new ConcurrentHashMap<>();

    Session(PaneldClient client, String device, Opened o) {
        this.client = client;
        this.device = device;
        this.id = o.session();
        this.width = o.width();
        this.height = o.height();
        this.owner = (o.flags() & Message.OPEN_OWNER) != 0;
    }

    public int id() { return id; }
    public String device() { return device; }
    public int width() { return width; }
    public int height() { return height; }
    /** Whether this session owns the display (as last told by the server). */
    public boolean isOwner() { return owner; }
    public boolean isUnplugged() { return unplugged; }
    public PaneldClient client() { return client; }

    void markOwner(boolean o) { owner = o; }
    void markUnplugged() { unplugged = true; }

    public CompletableFuture<Info> infoAsync() {
        return client.request(new DeviceInfo(id, "")).thenApply(m -> (Info) m);
    }

    public Info info() throws PaneldException {
        return client.await(infoAsync());
    }

    /**
     * Creates a display-sized buffer of {@code fourcc} (Message.FOURCC_XRGB8888 or FOURCC_RGB565).
     * {@code shared}: ask for a shared-memory buffer (mapped here, zero-copy); falls back to an inline
     * buffer when the connection cannot pass fds.
     */
    public CompletableFuture<Buffer> createBufferAsync(int fourcc, boolean shared) {
        boolean share = shared && client.canShare();
        return client.createBuffer(new CreateBuffer(id, width, height, fourcc, share ? Message.BUFFER_SHARED : 0)).thenApply(o -> {
            if (o instanceof PaneldClient.Mapped) {
                PaneldClient.Mapped m = (PaneldClient.Mapped) o;
                return new Buffer(this, m.reply(), width, height, fourcc, m.map());
            }
            return new Buffer(this, (BufferCreated) o, width, height, fourcc, null);
        });
    }

    public Buffer createBuffer(int fourcc, boolean shared) throws PaneldException {
        return client.await(createBufferAsync(fourcc, shared));
    }

    public CompletableFuture<Void> acquireOwnershipAsync() {
        return client.request(new AcquireOwnership(id)).thenRun(() -> owner = true);
    }

    /** Becomes the owner, or EBUSY (then the server hands ownership over later with an OWNERSHIP event). */
    public void acquireOwnership() throws PaneldException {
        client.await(acquireOwnershipAsync());
    }

    public void releaseOwnership() throws PaneldException {
        client.await(client.request(new ReleaseOwnership(id)));
        owner = false;
    }

    public CompletableFuture<Void> setPropertyAsync(String name, long value) {
        return client.request(new SetProperty(id, name, value)).thenApply(m -> null);
    }

    /** "backlight" 0–100, "power" 0/1 (see {@link #info()} for the device's list). */
    public void setProperty(String name, long value) throws PaneldException {
        client.await(setPropertyAsync(name, value));
    }

    /** Sends FLIP; the future completes with the FLIP_COMPLETE event (or the error). */
    CompletableFuture<FlipComplete> flip(int buffer) {
        int flipId = client.nextId();
        CompletableFuture<FlipComplete> done = awaitFlip(flipId);
        client.send(flipId, new Flip(id, buffer)).whenComplete((ok, e) -> {
            if (e != null) {
                flips.remove(flipId);
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Registers the completion future of a flip (called by Buffer before sending). */
    CompletableFuture<FlipComplete> awaitFlip(int flipId) {
        return flips.computeIfAbsent(flipId, k -> new CompletableFuture<>());
    }

    void flipDone(FlipComplete fc) {
        CompletableFuture<FlipComplete> f = flips.computeIfAbsent(fc.flipId(), k -> new CompletableFuture<>());
        flips.remove(fc.flipId());
        if (fc.error() != null) {
            f.completeExceptionally(new PaneldException(fc.error(), "flip of buffer " + fc.buffer() + " failed"));
        } else {
            f.complete(fc);
        }
    }

    public CompletableFuture<Void> closeAsync() {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        closed = true;
        return client.request(new Close(id)).handle((m, e) -> {
            client.forget(this);
            return null;
        });
    }

    /** Closes the session on the server (its buffers and its device reference go). */
    @Override
    public void close() throws PaneldException {
        if (!client.isOpen()) {
            closed = true;
            return;
        }
        client.await(closeAsync());
    }

    @Override
    public String toString() {
        return "Session[" + id + " on " + device + (owner ? ", owner" : "") + (unplugged ? ", unplugged" : "") + "]";
    }

    static PaneldException closedError() {
        return new PaneldException(ErrorCode.EBADF, "closed");
    }
}
