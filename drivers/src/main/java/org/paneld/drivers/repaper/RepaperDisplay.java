package org.paneld.drivers.repaper;

import java.io.IOException;
import java.util.List;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.core.UnplugGuard;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The display functions of one bound repaper e-paper panel.
 *
 * <p><b>Flush coalesces.</b> {@link #flush} converts the client's whole buffer to black and white
 * at once (the configured dither; e-paper updates are whole frames, damage only says that
 * something changed), stores it as the <em>pending</em> frame — replacing any frame still
 * pending, so the latest content wins and nothing queues — and returns. A per-device refresh
 * worker thread (registered in the hardware scope, stopped and joined at unbind) takes the
 * pending frame and refreshes the panel; flushes during a running refresh just replace the
 * pending frame, which the worker draws next.
 *
 * <p><b>A refresh is one guarded section.</b> The worker runs each refresh — power on, the
 * stages, power off — inside one <em>atomic</em> section of the device's unplug guard
 * ({@link UnplugGuard#enterAtomic()}), so an unplug waits for it and its hardware calls are
 * never cut in half. At every stage boundary the worker looks whether an unplug has started; if
 * so it aborts the update there and powers the panel off (charge pumps down, discharge) before it
 * leaves the section: the panel is never left powered. The panel is powered only during a
 * refresh (the gratis begin/update/end pattern), so between refreshes an unplug finds it off.
 * {@link #disable()} (orderly unbind, "power" = 0) lets the refreshes of what was flushed before
 * it finish (at most the running one and one more for the pending frame), so after the daemon
 * stops the film shows the last content.
 *
 * <p><b>Updates.</b> The first refresh of a binding clears the panel (the image on the film is
 * unknown): anything → black → white, then white → the image via the inverse and normal stages.
 * Later refreshes are the four-stage update from the image the panel shows (compensate, white,
 * inverse, normal), or, on a COG G2 with {@code partial = true}, a masked normal stage that
 * drives only the pixels that change. Each stage repeats whole frames for the panel's stage time
 * times the temperature factor ({@link Temperature}).
 *
 * <p>Lifetime: created at probe, lives as long as the device object; the worker and the ports
 * live in the hardware scope. Threads: the device's serialised operations call enable, disable,
 * flush, setProperty; the worker does the refreshes.
 */
public final class RepaperDisplay implements Display {
    private static final Logger LOG = LoggerFactory.getLogger(RepaperDisplay.class);

    private final Device device;
    private final RepaperConfig config;
    private final RepaperCog cog;
    private final Temperature temperature;
    private final MonoConverter converter;
    private final int pw, ph;
    private final Object lock = new Object();
    private byte[] pending;        // guarded by lock
    private boolean enabled;       // guarded by lock
    private boolean refreshing;    // guarded by lock
    private boolean stopped;       // guarded by lock
    private long submitted;        // flushes so far; guarded by lock
    private long taken;            // the flush count when the running refresh took its frame; guarded by lock
    private long done;             // the flush count the last finished (or failed) refresh covered; guarded by lock
    private long coalesced, refreshes, aborted, failed;
    private String lastError;
    private byte[] current;        // what the film shows; worker only
    private byte[] glass;          // the frame the last finished refresh drew, null when unknown (frames are never changed once made); guarded by lock
    private Thread worker;
    private volatile boolean powerProperty;

    public RepaperDisplay(Device device, RepaperConfig config, RepaperCog cog) {
        this.device = device;
        this.config = config;
        this.cog = cog;
        this.temperature = new Temperature(config.temperature(), config.temperatureSensor());
        this.converter = new MonoConverter(config.dither());
        this.pw = config.panel().width();
        this.ph = config.panel().height();
    }

    /** Starts the refresh worker; the caller registers {@link #stopWorker()} in the hardware scope. */
    public void startWorker() {
        Thread t = new Thread(this::workerLoop, "repaper-" + device.id());
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    /** Stops and joins the worker (hardware-scope release, after unplug: it is idle by then). */
    public void stopWorker() throws InterruptedException {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
        Thread t = worker;
        if (t != null && t != Thread.currentThread()) {
            t.join();
        }
    }

    @Override
    public DisplayInfo info() {
        RepaperPanel p = config.panel();
        boolean swap = config.rotation() == 90 || config.rotation() == 270;
        return new DisplayInfo("repaper", config.clientWidth(), config.clientHeight(), swap ? p.heightMm() : p.widthMm(),
                swap ? p.widthMm() : p.heightMm(), List.of(PixelFormat.XRGB8888, PixelFormat.RGB565, PixelFormat.R8), "MONO",
                config.rotation(), List.of(new DisplayInfo.Property("power", 0, 1, powerProperty ? 1 : 0)), true, "slow");
    }

    @Override
    public void enable() {
        synchronized (lock) {
            enabled = true;
            powerProperty = true;
            lock.notifyAll();
        }
    }

    /**
     * Lets the refresh of everything flushed so far finish — the running refresh and, if a frame
     * is pending, the one refresh that draws it (so the panel keeps showing the last content the
     * client flushed, as e-paper should after the daemon stops) — then stops refreshing. The
     * panel ends powered off. Flushes while disabled are kept for the next {@link #enable()}.
     */
    @Override
    public void disable() throws IOException {
        synchronized (lock) {
            long target = submitted;
            boolean interrupted = false;
            while (enabled && !stopped && done < target && (refreshing || pending != null)) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            enabled = false;
            powerProperty = false;
            while (refreshing) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void flush(Framebuffer source, Rect damage) throws IOException {
        if (source.width() != config.clientWidth() || source.height() != config.clientHeight()) {
            throw new DeviceException(Errno.EINVAL, "buffer is " + source.width() + "x" + source.height() + ", the display is "
                    + config.clientWidth() + "x" + config.clientHeight());
        }
        byte[] frame = toPanel(source);
        String err;
        synchronized (lock) {
            if (pending != null) {
                coalesced++;
            }
            pending = frame;
            submitted++;
            lock.notifyAll();
            err = lastError;
            lastError = null;
        }
        if (err != null) {
            LOG.debug("{}: previous refresh failed: {}", device.id(), err);
        }
    }

    /** Converts the client buffer to the panel's 1-bit frame (panel orientation, MSB first, 1 = white). */
    byte[] toPanel(Framebuffer source) {
        int cw = source.width(), ch = source.height();
        byte[] mono = new byte[MonoConverter.stride(cw) * ch];
        synchronized (converter) {
            converter.convert(source, mono);
        }
        if (config.rotation() == 0) {
            return mono;
        }
        int cs = MonoConverter.stride(cw), ps = pw / 8;
        byte[] out = new byte[ps * ph];
        for (int cy = 0; cy < ch; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                if ((mono[cy * cs + (cx >> 3)] & 0x80 >> (cx & 7)) == 0) {
                    continue;
                }
                int px, py;
                switch (config.rotation()) {
                    // the panel mounted turned counter-clockwise (the device-tree "rotation", as the MIPI DBI drivers)
                    case 90: px = pw - 1 - cy; py = cx; break;
                    case 180: px = pw - 1 - cx; py = ph - 1 - cy; break;
                    default: px = cy; py = ph - 1 - cx; break; // 270
                }
                out[py * ps + (px >> 3)] |= (byte) (0x80 >> (px & 7));
            }
        }
        return out;
    }

    @Override
    public void setProperty(String name, long value) throws IOException {
        if (!"power".equals(name)) {
            throw new DeviceException(Errno.EINVAL, "unknown property '" + name + "' (repaper has: power)");
        }
        if (value != 0 && value != 1) {
            throw new DeviceException(Errno.EINVAL, "property 'power' is 0 or 1, got " + value);
        }
        if (value == 1) {
            enable();
        } else {
            disable();
        }
    }

    /**
     * What the last finished refresh drew onto the film, as black and white in the client's
     * orientation, for the live view; null before the first refresh has finished or after one
     * was aborted or failed (the film's picture is then unknown). A flush still pending or being
     * refreshed is not shown until its refresh finishes. Under the device's operation lock this
     * takes only a reference to the (never changed) frame; the returned supplier unpacks it on
     * the caller's thread.
     */
    @Override
    public java.util.function.Supplier<org.paneld.drivers.pixel.RgbImage> copyShownPicture() {
        byte[] frame;
        synchronized (lock) {
            frame = glass;
        }
        if (frame == null) {
            return null;
        }
        int cw = config.clientWidth(), ch = config.clientHeight(), rot = config.rotation(), ps = pw / 8;
        return () -> {
            int[] rgb = new int[cw * ch];
            for (int cy = 0; cy < ch; cy++) {
                for (int cx = 0; cx < cw; cx++) {
                    int px, py;
                    switch (rot) {
                        // as toPanel: the panel mounted turned counter-clockwise
                        case 90: px = pw - 1 - cy; py = cx; break;
                        case 180: px = pw - 1 - cx; py = ph - 1 - cy; break;
                        case 270: px = cy; py = ph - 1 - cx; break;
                        default: px = cx; py = cy;
                    }
                    rgb[cy * cw + cx] = (frame[py * ps + (px >> 3)] & 0x80 >> (px & 7)) != 0 ? 0xFFFFFF : 0;
                }
            }
            return new org.paneld.drivers.pixel.RgbImage(cw, ch, rgb);
        };
    }

    /** Counters for status and tests: {refreshes, coalesced flushes, aborted refreshes, failed refreshes}. */
    public long[] counters() {
        synchronized (lock) {
            return new long[] {refreshes, coalesced, aborted, failed};
        }
    }

    /** True while a refresh runs. */
    public boolean isRefreshing() {
        synchronized (lock) {
            return refreshing;
        }
    }

    /** Waits until no refresh runs and nothing is pending (or the worker stopped). */
    public void awaitIdle() throws InterruptedException {
        synchronized (lock) {
            while (!stopped && (refreshing || (pending != null && enabled))) {
                lock.wait();
            }
        }
    }

    // ------------------------------------------------------------------ the worker

    private void workerLoop() {
        UnplugGuard guard = device.guard();
        while (true) {
            byte[] frame;
            synchronized (lock) {
                while (!stopped && (!enabled || pending == null)) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // the loop's condition decides
                    }
                }
                if (stopped) {
                    return;
                }
                frame = pending;
                pending = null;
                refreshing = true;
                taken = submitted;
            }
            try {
                guard.enterAtomic();
            } catch (NoDeviceException e) {
                synchronized (lock) {
                    refreshing = false;
                    lock.notifyAll();
                }
                return; // unplugged: the hardware scope will stop us
            }
            boolean finished = false;
            try {
                refresh(frame);
                finished = true;
            } catch (Aborted a) {
                LOG.info("{}: refresh aborted at a stage boundary ({}), panel powered off", device.id(), a.getMessage());
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: refresh failed: {}", device.id(), e.toString());
                synchronized (lock) {
                    failed++;
                    lastError = e.toString();
                }
            } finally {
                guard.exitAtomic();
                synchronized (lock) {
                    if (finished) {
                        refreshes++;
                    }
                    glass = finished ? frame : null; // an aborted or failed refresh leaves the film unknown
                    done = taken;
                    refreshing = false;
                    lock.notifyAll();
                }
            }
        }
    }

    /** Thrown at a stage boundary when an unplug has started. */
    private static final class Aborted extends Exception {
        private static final long serialVersionUID = 1L;

        Aborted(String where) {
            super(where, null, false, false);
        }
    }

    private void boundary(String next) throws Aborted {
        if (device.guard().isUnplugged()) { // not protecting hardware (we hold an atomic section): a safe point to stop
            synchronized (lock) {
                aborted++;
            }
            throw new Aborted("before " + next);
        }
    }

    /** One update: power on, stages, power off; inside the worker's atomic section. */
    private void refresh(byte[] image) throws IOException, Aborted {
        int celsius = temperature.celsius();
        long stage = Temperature.stageTimeMs(config.panel().stageTimeMs(), celsius);
        boundary("power on");
        byte[] old = current;
        current = null; // unknown until this update completes
        cog.powerOn();
        try {
            if (old == null) {
                // the film's image is unknown: clear it (anything -> black -> white) ...
                cog.repeat(null, 0xff, null, RepaperStage.COMPENSATE, stage);
                boundary("clear: white");
                cog.repeat(null, 0xff, null, RepaperStage.WHITE, stage);
                boundary("clear: inverse");
                cog.repeat(null, 0xaa, null, RepaperStage.INVERSE, stage);
                boundary("clear: normal");
                cog.repeat(null, 0xaa, null, RepaperStage.NORMAL, stage);
                boundary("compensate");
                // ... then from white to the image
                cog.repeat(null, 0xaa, null, RepaperStage.COMPENSATE, stage);
                boundary("white");
                cog.repeat(null, 0xaa, null, RepaperStage.WHITE, stage);
                boundary("inverse");
                cog.repeat(image, 0, null, RepaperStage.INVERSE, stage);
                boundary("normal");
                cog.repeat(image, 0, null, RepaperStage.NORMAL, stage);
            } else if (config.partial() && changedPixels(old, image) * 2 <= (long) pw * ph) {
                // G2: drive only the pixels that change (at most half of them; more would ghost, so update fully)
                cog.repeat(image, 0, old, RepaperStage.NORMAL, stage);
            } else {
                cog.repeat(old, 0, null, RepaperStage.COMPENSATE, stage);
                boundary("white");
                cog.repeat(old, 0, null, RepaperStage.WHITE, stage);
                boundary("inverse");
                cog.repeat(image, 0, null, RepaperStage.INVERSE, stage);
                boundary("normal");
                cog.repeat(image, 0, null, RepaperStage.NORMAL, stage);
            }
            current = image;
            if (config.panel().preBorderByte() && bottomLineHasBlack(image)) {
                // as the kernel: one more (masked, so driving nothing) frame pass, or grey lines rise from the bottom
                cog.repeat(image, 0, image, RepaperStage.NORMAL, stage);
            }
        } finally {
            cog.powerOff();
        }
    }

    private static long changedPixels(byte[] a, byte[] b) {
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            n += Integer.bitCount((a[i] ^ b[i]) & 0xFF);
        }
        return n;
    }

    private boolean bottomLineHasBlack(byte[] image) {
        int stride = pw / 8;
        for (int i = (ph - 1) * stride; i < ph * stride; i++) {
            if (image[i] != (byte) 0xFF) {
                return true;
            }
        }
        return false;
    }
}
