package org.paneld.daemon;

import java.util.function.Consumer;

/**
 * SIGTERM/SIGINT handling through {@code sun.misc.Signal} (jdk.unsupported): a JVM shutdown hook
 * would make the process exit with 143 instead of 0 and would race the JVM's own teardown, so the
 * daemon replaces the default handlers and stops on its main thread. Lifetime: the process.
 * Threads: the handler runs on the JVM's signal thread and must only hand over.
 */
final class Signals {
    private Signals() {
    }

    /** Calls {@code handler} with "SIGTERM" or "SIGINT" when one arrives (possibly several times). */
    @SuppressWarnings("restriction")
    static void onTermination(Consumer<String> handler) {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> handler.accept("SIG" + s.getName()));
        }
    }
}
