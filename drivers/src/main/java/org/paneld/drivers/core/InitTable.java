package org.paneld.drivers.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up as a table (the i915 init/exit table of seed 000): ordered named steps, each with an
 * init and an optional exit. {@link #start()} runs the inits in order and records how far it
 * got; a failing init unwinds exactly the steps before it, in reverse, and {@link #start()}
 * throws {@link StepFailedException} naming the step. An init may end start-up early with
 * success ({@link Outcome#DONE}); {@link #stop()} then unwinds exactly the steps that ran, in
 * reverse, running every exit even when one fails (failures are combined).
 *
 * <p>Lifetime: the daemon's (or a test's). Threads: start and stop from one thread at a time.
 */
public final class InitTable {
    private static final Logger LOG = LoggerFactory.getLogger(InitTable.class);

    /** What an init step tells the table. */
    public enum Outcome {
        /** Go on with the next step. */
        CONTINUE,
        /** Start-up is complete: skip the remaining steps (they are not run and not unwound). */
        DONE
    }

    /** A step's init. */
    @FunctionalInterface
    public interface Init {
        Outcome run() throws Exception;
    }

    /** A step's exit. */
    @FunctionalInterface
    public interface Exit {
        void run() throws Exception;
    }

    private record Step(String name, Init init, Exit exit) {
    }

    private final String name;
    private final List<Step> steps = new ArrayList<>();
    private final List<Step> started = new ArrayList<>();
    private boolean running;

    public InitTable(String name) {
        this.name = name;
    }

    /** Appends a step with an exit. */
    public InitTable step(String stepName, Init init, Exit exit) {
        Objects.requireNonNull(init, "init");
        if (running) {
            throw new IllegalStateException("cannot add step " + stepName + " to a started table");
        }
        for (Step s : steps) {
            if (s.name.equals(stepName)) {
                throw new IllegalArgumentException("duplicate step name " + stepName);
            }
        }
        steps.add(new Step(stepName, init, exit));
        return this;
    }

    /** Appends a step with no exit. */
    public InitTable step(String stepName, Init init) {
        return step(stepName, init, null);
    }

    /** Names of all steps, in order. */
    public List<String> stepNames() {
        List<String> n = new ArrayList<>();
        for (Step s : steps) {
            n.add(s.name);
        }
        return n;
    }

    /** Names of the steps whose init succeeded and that have not been unwound, in order. */
    public synchronized List<String> progress() {
        List<String> n = new ArrayList<>();
        for (Step s : started) {
            n.add(s.name);
        }
        return Collections.unmodifiableList(n);
    }

    /**
     * Runs the inits in order.
     *
     * @return the name of the step that ended start-up early, or null when every step ran
     * @throws StepFailedException naming the failing step, after unwinding the steps before it
     */
    public String start() throws StepFailedException {
        synchronized (this) {
            if (running) {
                throw new IllegalStateException(name + " is already started");
            }
            running = true;
        }
        for (Step s : steps) {
            Outcome outcome;
            try {
                LOG.debug("{}: init {}", name, s.name);
                outcome = Objects.requireNonNull(s.init.run(), "init of " + s.name + " returned null");
            } catch (Exception | LinkageError e) {
                StepFailedException failure = new StepFailedException(s.name,
                        name + ": step '" + s.name + "' failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
                try {
                    unwind();
                } catch (Exception unwindFailure) {
                    failure.addSuppressed(unwindFailure);
                }
                synchronized (this) {
                    running = false;
                }
                throw failure;
            }
            synchronized (this) {
                started.add(s);
            }
            if (outcome == Outcome.DONE) {
                LOG.info("{}: start-up complete early at step '{}'", name, s.name);
                return s.name;
            }
        }
        return null;
    }

    /**
     * Unwinds every step that started, last first; runs every exit even if one fails, then
     * throws the first failure with the others suppressed. A second call does nothing.
     */
    public void stop() throws Exception {
        try {
            unwind();
        } finally {
            synchronized (this) {
                running = false;
            }
        }
    }

    private void unwind() throws Exception {
        Exception failure = null;
        while (true) {
            Step s;
            synchronized (this) {
                if (started.isEmpty()) {
                    break;
                }
                s = started.remove(started.size() - 1);
            }
            if (s.exit == null) {
                continue;
            }
            try {
                LOG.debug("{}: exit {}", name, s.name);
                s.exit.run();
            } catch (Exception e) {
                LOG.warn("{}: exit of step '{}' failed: {}", name, s.name, e.toString());
                Exception wrapped = new Exception(name + ": exit of step '" + s.name + "' failed", e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** An init step failed; {@link #step()} names it. The steps before it have been unwound. */
    public static final class StepFailedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String step;

        public StepFailedException(String step, String message, Throwable cause) {
            super(message, cause);
            this.step = step;
        }

        public String step() {
            return step;
        }
    }
}
