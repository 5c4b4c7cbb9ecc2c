package org.paneld.daemon.ctl;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.paneld.client.PaneldClient;
import org.paneld.client.PaneldException;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Touch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * panelctl's touch commands: {@code touch} (print a display's touch events), {@code tap} and
 * {@code swipe} (the finger of a virtual panel's emulated touch controller, admin) and
 * {@code calibrate}. Lifetime: one command. Threads: main.
 */
final class TouchCommands {
    /** How long tap and swipe wait for the emulated controller to report the finger. */
    static final long REPORT_TIMEOUT_MS = 5000;

    private TouchCommands() {
    }

    @Command(name = "touch", description = {"Prints NAME's touch events as they come, one a line:",
            "KIND x=X y=Y slot=S pressure=P raw_x=RX raw_y=RY t_us=T [owner] [dropped] (KIND down, move or up).",
            "Observes: the client that owns the panel keeps getting its events. Stops at Ctrl-C, after --count events,",
            "or when the panel is unplugged (exit 1, ENODEV)."})
    static final class TouchCmd implements Callable<Integer> {
        @ParentCommand
        PanelCtl parent;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--count", paramLabel = "N", description = "exit after N events (default: run until stopped)")
        long count = Long.MAX_VALUE;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = parent.spec.commandLine().getOut();
            PrintWriter err = parent.spec.commandLine().getErr();
            parent.withClient(name, c -> {
                try (TouchWatch w = TouchWatch.open(c, name, false)) {
                    err.println("panelctl: watching " + name + "'s touches (Ctrl-C to stop)");
                    err.flush();
                    for (long n = 0; n < count; n++) {
                        Touch t;
                        do {
                            t = w.next(60_000);
                        } while (t == null);
                        out.println(TouchWatch.line(t));
                        out.flush();
                    }
                }
                return null;
            });
            return 0;
        }
    }

    /** Shared by tap and swipe: the events a gesture caused, printed as {@code touch} prints them. */
    abstract static class GestureCmd implements Callable<Integer> {
        @ParentCommand
        PanelCtl parent;

        abstract void gesture(PaneldClient c, TouchWatch w, java.util.function.Consumer<Touch> print) throws PaneldException;

        String name() {
            return null;
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = parent.spec.commandLine().getOut();
            String name = name();
            parent.withClient(name, c -> {
                if ((c.serverInfo().flags() & Message.HELLO_ADMIN) == 0) {
                    throw new PaneldException(org.paneld.protocol.ErrorCode.EACCES, "tap and swipe are admin requests (root or paneld's uid)");
                }
                try (TouchWatch w = TouchWatch.open(c, name, false)) {
                    gesture(c, w, t -> out.println(TouchWatch.line(t)));
                } finally {
                    out.flush();
                }
                return null;
            });
            return 0;
        }

        /** Presses at (x, y) and waits for the DOWN. */
        static void down(PaneldClient c, TouchWatch w, String name, int x, int y, java.util.function.Consumer<Touch> print)
                throws PaneldException {
            c.touchPress(name, x, y);
            w.await(Message.TOUCH_DOWN, REPORT_TIMEOUT_MS, print);
        }

        /** Lifts the finger and waits for the UP. */
        static void up(PaneldClient c, TouchWatch w, String name, java.util.function.Consumer<Touch> print) throws PaneldException {
            c.touchRelease(name);
            w.await(Message.TOUCH_UP, REPORT_TIMEOUT_MS, print);
        }
    }

    @Command(name = "tap", description = {"Virtual panels: the emulated touch controller reports a tap at X Y (display pixels);",
            "prints the events it caused (admin)."})
    static final class TapCmd extends GestureCmd {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "X")
        int x;
        @Parameters(index = "2", paramLabel = "Y")
        int y;

        @Override
        String name() {
            return name;
        }

        @Override
        void gesture(PaneldClient c, TouchWatch w, java.util.function.Consumer<Touch> print) throws PaneldException {
            down(c, w, name, x, y, print);
            up(c, w, name, print);
        }
    }

    @Command(name = "swipe", description = {"Virtual panels: the emulated finger goes down at X0 Y0, moves in --steps steps over",
            "--duration-ms to X1 Y1 and lifts; prints the events it caused (admin)."})
    static final class SwipeCmd extends GestureCmd {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "X0")
        int x0;
        @Parameters(index = "2", paramLabel = "Y0")
        int y0;
        @Parameters(index = "3", paramLabel = "X1")
        int x1;
        @Parameters(index = "4", paramLabel = "Y1")
        int y1;
        @Option(names = "--steps", paramLabel = "N", defaultValue = "10", description = "moves between the ends (default ${DEFAULT-VALUE})")
        int steps;
        @Option(names = "--duration-ms", paramLabel = "MS", defaultValue = "200",
                description = "how long the finger takes from end to end (default ${DEFAULT-VALUE})")
        long durationMs;

        @Override
        String name() {
            return name;
        }

        @Override
        void gesture(PaneldClient c, TouchWatch w, java.util.function.Consumer<Touch> print) throws PaneldException {
            if (steps < 1 || steps > 1000 || durationMs < 0 || durationMs > 60_000) {
                throw new IllegalArgumentException("--steps takes 1..1000 and --duration-ms 0..60000");
            }
            down(c, w, name, x0, y0, print);
            for (int i = 1; i <= steps; i++) {
                pause(durationMs / steps); // the gesture's own speed: a real finger takes time to move
                c.touchPress(name, x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps);
            }
            up(c, w, name, print);
        }

        private static void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(name = "calibrate", description = {"Draws crosshairs on NAME, collects a touch at each, prints the",
            "'calibration = [...]' line for its [panel.touch] table, and applies it at once when run as admin."})
    static final class CalibrateCmd implements Callable<Integer> {
        @ParentCommand
        PanelCtl parent;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--points", paramLabel = "N", defaultValue = "5", description = "3 or 5 targets (default ${DEFAULT-VALUE})")
        int points;
        @Option(names = "--point-timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "give up when a target is not touched within this long (default ${DEFAULT-VALUE})")
        int pointTimeout;

        @Override
        public Integer call() throws Exception {
            Calibrate.targets(1, 1, points); // bad --points: usage error before connecting
            PrintWriter out = parent.spec.commandLine().getOut();
            PrintWriter err = parent.spec.commandLine().getErr();
            parent.withClient(name, c -> Calibrate.run(c, name, points, Math.max(1, pointTimeout) * 1000L, out, err, (i, n, x, y) -> { }));
            return 0;
        }
    }
}
