package org.paneld.drivers.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.paneld.drivers.core.UnplugGuard;

/**
 * Event-based waits for tests that check that something does <em>not</em> happen (yet): instead of
 * sleeping and then asserting, they wait until a thread is proven to sit in the expected blocked
 * state (its state and its stack), or until the wrong outcome has been observed, and then assert
 * which of the two it was. So a slow machine makes them slower, never green by accident.
 * Failures of helper threads reach JUnit through {@link Task#get()}. Stateless; test scope.
 */
public final class Waits {
    /** Generous: only a failing test waits this long. */
    public static final Duration LONG = Duration.ofSeconds(30);

    private Waits() {
    }

    /** A helper thread whose result (or failure) the test collects with {@link #get()}. */
    public static final class Task<T> {
        private final FutureTask<T> future;
        private final Thread thread;

        private Task(String name, Callable<T> body) {
            this.future = new FutureTask<>(body);
            this.thread = new Thread(future, name);
            this.thread.setDaemon(true);
        }

        public Thread thread() {
            return thread;
        }

        public Task<T> start() {
            thread.start();
            return this;
        }

        /** The result; rethrows the thread's failure as it was (an AssertionError stays one). */
        public T get() throws Exception {
            try {
                return future.get(LONG.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof Error err) {
                    throw err;
                }
                throw (Exception) c;
            } catch (TimeoutException e) {
                throw new AssertionError(thread.getName() + " did not finish within " + LONG + ": " + describe(thread));
            }
        }

        /** The failure the body ended with; fails when it returned normally or did not finish. */
        public Throwable failure() throws InterruptedException {
            try {
                T value = future.get(LONG.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError(thread.getName() + " returned " + value + " where a failure was expected");
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (TimeoutException e) {
                throw new AssertionError(thread.getName() + " did not finish within " + LONG + ": " + describe(thread));
            }
        }

        public boolean isDone() {
            return future.isDone();
        }
    }

    /** A body that may throw. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** A not yet started helper thread running {@code body}. */
    public static Task<Void> task(String name, Body body) {
        return new Task<>(name, () -> {
            body.run();
            return null;
        });
    }

    /** True when {@code t} is blocked, waiting or parked with a frame of {@code cls}.{@code method} on its stack. */
    public static boolean isBlockedIn(Thread t, Class<?> cls, String method) {
        return isBlockedIn(t, cls, method, EnumSet.of(Thread.State.BLOCKED, Thread.State.WAITING, Thread.State.TIMED_WAITING));
    }

    private static boolean isBlockedIn(Thread t, Class<?> cls, String method, Set<Thread.State> states) {
        if (!states.contains(t.getState())) {
            return false;
        }
        StackTraceElement[] stack = t.getStackTrace();
        // the state must still hold after the stack was taken (a parking loop goes in and out)
        return states.contains(t.getState()) && Arrays.stream(stack)
                .anyMatch(f -> f.getClassName().equals(cls.getName()) && (method == null || f.getMethodName().equals(method)));
    }

    /** The thread blocked on a monitor inside {@code cls}, among all threads; waits up to {@link #LONG}. */
    public static Thread awaitSomeThreadBlockedOnMonitorIn(Class<?> cls, String what) {
        return awaitSomeThreadBlockedOnMonitorIn(cls, null, what);
    }

    /** The thread blocked on a monitor inside {@code cls}.{@code method} (any method when null), among all threads. */
    public static Thread awaitSomeThreadBlockedOnMonitorIn(Class<?> cls, String method, String what) {
        Thread[] found = new Thread[1];
        await(what).atMost(LONG).pollInterval(Duration.ofMillis(5)).until(() -> {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (isBlockedIn(t, cls, method, EnumSet.of(Thread.State.BLOCKED))) {
                    found[0] = t;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /**
     * Asserts that {@code unplugger} (a thread that calls {@code guard.unplug()}, once) waits inside
     * {@link UnplugGuard#unplug()} for the sections in flight and has not returned from it: waits
     * until the thread is seen parked in {@code unplug()}, or until it is seen past it (the guard
     * is marked unplugged, which only its unplug does, and {@code unplug()} is no longer on its
     * stack), or {@code unplugReturned} was counted down (an unplug listener: it runs after the
     * guard drained), or the thread ended, or {@code wrong} holds; then asserts the first.
     */
    public static void assertUnplugWaits(Thread unplugger, UnplugGuard guard, CountDownLatch unplugReturned,
            BooleanSupplier wrong, String what) {
        BooleanSupplier past = () -> {
            if (!guard.isUnplugged()) {
                return false;
            }
            return Arrays.stream(unplugger.getStackTrace()).noneMatch(
                    f -> f.getClassName().equals(UnplugGuard.class.getName()) && f.getMethodName().equals("unplug"));
        };
        BooleanSupplier failed = () -> unplugReturned.getCount() == 0 || !unplugger.isAlive() || wrong.getAsBoolean()
                || past.getAsBoolean();
        try {
            await(what).atMost(LONG).pollInterval(Duration.ofMillis(2))
                    .until(() -> isBlockedIn(unplugger, UnplugGuard.class, "unplug") || failed.getAsBoolean());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + ": the unplugging thread never waited in the unplug guard within " + LONG
                    + " (" + describe(unplugger) + ")", e);
        }
        if (failed.getAsBoolean()) {
            throw new AssertionError(what + ": unplug did not wait for the section in flight (unplug returned: "
                    + (unplugReturned.getCount() == 0) + ", " + describe(unplugger) + ")");
        }
    }

    /**
     * Asserts that {@code t} waits inside {@code cls}.{@code method}: waits until it is seen blocked
     * there, or ended, or {@code wrong} holds (the outcome that must not happen yet); then asserts
     * the first.
     */
    public static void assertBlockedIn(Thread t, Class<?> cls, String method, BooleanSupplier wrong, String what) {
        try {
            await(what).atMost(LONG).pollInterval(Duration.ofMillis(2))
                    .until(() -> isBlockedIn(t, cls, method) || !t.isAlive() || wrong.getAsBoolean());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + ": never seen waiting in " + cls.getSimpleName() + "." + method + " within "
                    + LONG + " (" + describe(t) + ")", e);
        }
        if (!t.isAlive() || wrong.getAsBoolean() || !isBlockedIn(t, cls, method)) {
            throw new AssertionError(what + ": did not wait in " + cls.getSimpleName() + "." + method + " (" + describe(t) + ")");
        }
    }

    /** True when {@code t} waits (Object.wait, park) with {@code cls}.{@code method} as its innermost frame outside the JDK. */
    public static boolean isWaitingDirectlyIn(Thread t, Class<?> cls, String method) {
        Thread.State st = t.getState();
        if (st != Thread.State.WAITING && st != Thread.State.TIMED_WAITING) {
            return false;
        }
        StackTraceElement[] stack = t.getStackTrace();
        if (t.getState() != st) {
            return false;
        }
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
                continue;
            }
            return c.equals(cls.getName()) && f.getMethodName().equals(method);
        }
        return false;
    }

    /** How often {@code t} has entered a wait so far (ThreadMXBean, contention monitoring not needed). */
    public static long waitedCount(Thread t) {
        java.lang.management.ThreadInfo info = java.lang.management.ManagementFactory.getThreadMXBean().getThreadInfo(t.getId());
        return info == null ? -1 : info.getWaitedCount();
    }

    /** The live thread named {@code name}. */
    public static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread named " + name));
    }

    /** Waits up to {@link #LONG} for the latch; fails naming {@code what} when it does not open. */
    public static void awaitLatch(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(LONG.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("timed out after " + LONG + " waiting for " + what);
        }
    }

    /** A thread's name, state and stack, for failure messages. */
    public static String describe(Thread t) {
        return "thread " + t.getName() + " " + t.getState() + Arrays.stream(t.getStackTrace()).limit(12)
                .map(f -> "\n      at " + f).collect(Collectors.joining());
    }
}
