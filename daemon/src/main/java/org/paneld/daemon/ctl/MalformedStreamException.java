package org.paneld.daemon.ctl;

/**
 * The input of {@code panelctl stream} is not what it claims to be: a truncated frame, a garbage
 * or truncated PPM/PAM header, a frame of the wrong size. The message names the 1-based frame
 * number and the byte offset in the input where it went wrong. panelctl exits with status 4.
 * Immutable; any thread.
 */
final class MalformedStreamException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedStreamException(long frame, long offset, String what) {
        super("frame " + frame + " at byte " + offset + ": " + what);
    }
}
