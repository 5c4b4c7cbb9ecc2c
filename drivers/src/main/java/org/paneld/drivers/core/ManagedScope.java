package org.paneld.drivers.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ordered list of release actions run once, last registered first (the kernel's devres and
 * drmm). A device has two: the <em>hardware scope</em>, released at unbind or unplug, for
 * everything that touches the bus; and the <em>object scope</em>, released after the driver's
 * release at the last reference drop, for everything a client can see.
 *
 * <p>Registration after the scope was released is refused; {@link #addOrReset} then runs the
 * action at once (devm_add_action_or_reset). An action that throws does not stop the others:
 * failures are logged and combined into one {@link ScopeReleaseException} with the rest as
 * suppressed exceptions. Lifetime: owned by a device. Threads: any (internally synchronised);
 * actions run on the thread that releases.
 */
public final class ManagedScope {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedScope.class);

    /** A release action. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private final String name;
    private final List<Registration> actions = new ArrayList<>();
    private boolean released;
    private int registered;
    private int ran;

    public ManagedScope(String name) {
        this.name = Objects.requireNonNull(name);
    }

    public String name() {
        return name;
    }

    /**
     * Registers {@code action}, described by {@code what}, to run when the scope is released.
     *
     * @throws IllegalStateException when the scope is already released (the action does not run)
     */
    public Registration add(String what, Action action) {
        Objects.requireNonNull(action, "action");
        synchronized (this) {
            if (released) {
                throw new IllegalStateException("scope " + name + " is already released; cannot add '" + what + "'");
            }
            Registration r = new Registration(what, action);
            actions.add(r);
            registered++;
            return r;
        }
    }

    /**
     * Like {@link #add}, but when registration is refused the action runs at once before the
     * exception is thrown, so nothing acquired is leaked (devm_add_action_or_reset).
     */
    public Registration addOrReset(String what, Action action) throws Exception {
        try {
            return add(what, action);
        } catch (IllegalStateException refused) {
            try {
                action.run();
            } catch (Exception e) {
                refused.addSuppressed(e);
            }
            throw refused;
        }
    }

    /**
     * Registers {@code resource.close()} and returns the resource; when the scope is released
     * already, closes the resource at once and throws.
     */
    public <T extends AutoCloseable> T manage(String what, T resource) throws Exception {
        addOrReset(what, resource::close);
        return resource;
    }

    public synchronized boolean isReleased() {
        return released;
    }

    /** Actions still waiting to run. */
    public synchronized int pending() {
        return actions.size();
    }

    /** Actions ever registered. */
    public synchronized int registeredCount() {
        return registered;
    }

    /** Actions that have run (by release or early release). */
    public synchronized int ranCount() {
        return ran;
    }

    /** The descriptions of the pending actions, in registration order. */
    public synchronized List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Registration r : actions) {
            out.add(r.what);
        }
        return out;
    }

    /**
     * Runs every pending action, last registered first, each exactly once. A second call does
     * nothing. Failures are logged; after all ran, a {@link ScopeReleaseException} carries them.
     */
    public void release() throws ScopeReleaseException {
        List<Registration> todo;
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            todo = new ArrayList<>(actions);
            actions.clear();
        }
        ScopeReleaseException failure = null;
        for (int i = todo.size() - 1; i >= 0; i--) {
            Registration r = todo.get(i);
            try {
                r.runOnce();
            } catch (Exception | LinkageError e) {
                LOG.warn("{}: release action '{}' failed: {}", name, r.what, e.toString());
                if (failure == null) {
                    failure = new ScopeReleaseException(name + ": release action '" + r.what + "' failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** {@link #release()} that logs instead of throwing; for teardown paths that must go on. */
    public void releaseQuietly() {
        try {
            release();
        } catch (ScopeReleaseException e) {
            // already logged action by action
        }
    }

    @Override
    public synchronized String toString() {
        return "ManagedScope[" + name + (released ? ", released" : "") + ", pending=" + actions.size() + "]";
    }

    /** One registered action: release it early, or drop it without running. */
    public final class Registration {
        private final String what;
        private final Action action;
        private boolean done;

        private Registration(String what, Action action) {
            this.what = what;
            this.action = action;
        }

        public String what() {
            return what;
        }

        private void runOnce() throws Exception {
            synchronized (ManagedScope.this) {
                if (done) {
                    return;
                }
                done = true;
                ran++;
            }
            action.run();
        }

        /** Runs the action now and removes it (devm_release_action); nothing if it already ran. */
        public void releaseEarly() throws Exception {
            synchronized (ManagedScope.this) {
                actions.remove(this);
            }
            runOnce();
        }

        /** Removes the action without running it (devm_remove_action): the caller took ownership. */
        public void remove() {
            synchronized (ManagedScope.this) {
                if (actions.remove(this)) {
                    done = true;
                }
            }
        }
    }
}
