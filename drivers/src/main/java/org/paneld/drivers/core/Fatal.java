package org.paneld.drivers.core;

import java.io.PrintStream;

/**
 * The one place where the process gives up: a {@link VirtualMachineError} (OutOfMemoryError,
 * StackOverflowError, InternalError is not one) leaves the JVM in a state nothing can be trusted
 * in, so it is never caught and carried on from. Whoever sees one (a worker loop, an event loop's
 * exceptionCaught, the default uncaught-exception handler) calls {@link #exit}: it writes one line
 * to stderr (the journal) and halts the JVM with {@link #EXIT_CODE}, so systemd's
 * {@code Restart=on-failure} starts a fresh daemon. No orderly shutdown is tried: it could block
 * or allocate. Static; any thread.
 */
public final class Fatal {
    /** The exit status after a fatal error: not 0, not 2 or 3 (systemd's RestartPreventExitStatus). */
    public static final int EXIT_CODE = 70;

    private static volatile Halter halter = code -> Runtime.getRuntime().halt(code);

    private Fatal() {
    }

    /** True when {@code t} (or a cause of it) must end the process. */
    public static boolean isFatal(Throwable t) {
        for (int i = 0; t != null && i < 16; i++, t = t.getCause()) {
            if (t instanceof VirtualMachineError && !(t instanceof InternalError)) {
                return true;
            }
        }
        return false;
    }

    /** Rethrows nothing: if {@code t} is fatal, halts the process; otherwise returns. */
    public static void exitIfFatal(Throwable t, String where) {
        if (isFatal(t)) {
            exit(t, where);
        }
    }

    /** Logs {@code t} as fatal (stderr, no allocation-heavy formatting) and halts the JVM. Never returns. */
    public static void exit(Throwable t, String where) {
        try {
            PrintStream err = System.err;
            err.println("paneld: fatal: " + t + " in " + where + " (thread " + Thread.currentThread().getName()
                    + "); exiting with status " + EXIT_CODE + " so that the service manager restarts paneld");
            err.flush();
        } catch (Throwable ignored) {
            // nothing more can be said: halt anyway
        }
        halter.halt(EXIT_CODE);
        throw new IllegalStateException("halt returned"); // only a test's halter returns
    }

    /**
     * {@code r} wrapped so that a fatal error it throws ends the process even where the caller
     * would swallow it (an executor's Future, a Netty task).
     */
    public static Runnable guarded(Runnable r, String where) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                exitIfFatal(e, where);
                throw e;
            }
        };
    }

    /**
     * Installs the default uncaught-exception handler: a fatal error on any thread exits; other
     * errors are left to the thread group's default (printed). Call once at start-up.
     */
    public static void installDefaultHandler() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (isFatal(e)) {
                exit(e, "uncaught on " + thread.getName());
            }
            if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                e.printStackTrace();
            }
        });
    }

    /** What halts the JVM; replaced only by unit tests of the handlers. */
    @FunctionalInterface
    public interface Halter {
        void halt(int code);
    }

    /** For unit tests: replaces the halt (returns the previous one). */
    public static Halter halter(Halter h) {
        Halter old = halter;
        halter = h;
        return old;
    }
}
