package org.paneld.daemon.ctl;

import java.io.IOException;

/**
 * Where {@code panelctl stream} gets frames: a byte stream ({@link FrameReader}) or a legacy
 * framebuffer ({@link FbdevSource}). Lifetime: one stream. Threads: the reader thread.
 */
interface FrameSource {
    /** Fills {@code f} with the next frame; false at the clean end of the input. */
    boolean read(Frame f) throws IOException, MalformedStreamException;

    /**
     * Whether frames arrive in real time whether or not they are consumed (a pipe, a FIFO, a
     * character device): then only the newest waiting frame is kept and older ones are dropped.
     * A regular file is not live: every frame is shown, in order, as fast as the panel takes
     * them (or at {@code --fps}).
     */
    boolean live();
}
