package org.paneld.drivers.virtual;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;

/**
 * A list of at most {@code capacity} entries, for the emulators' event and violation lists, which
 * a long-running virtual panel must not grow per frame (issue 10). {@link #latest(int)} keeps the
 * most recent entries (adding to a full log forgets the oldest); {@link #first(int)} keeps the
 * first ones (the cause of a cascade of violations) and ignores later additions. Either way
 * {@link #dropped()} counts what was not kept. Lifetime: its emulator. Threads: not thread-safe
 * (the emulators guard it with their own lock).
 */
public final class BoundedLog<E> extends AbstractList<E> {
    private final Object[] ring;
    private final boolean keepLatest;
    private int start;
    private int size;
    private long dropped;

    private BoundedLog(int capacity, boolean keepLatest) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " < 1");
        }
        this.ring = new Object[capacity];
        this.keepLatest = keepLatest;
    }

    /** A log that keeps the {@code capacity} most recent entries. */
    public static <E> BoundedLog<E> latest(int capacity) {
        return new BoundedLog<>(capacity, true);
    }

    /** A log that keeps the first {@code capacity} entries and counts the rest as dropped. */
    public static <E> BoundedLog<E> first(int capacity) {
        return new BoundedLog<>(capacity, false);
    }

    /** Appends {@code e}; when full, forgets the oldest entry (latest) or {@code e} itself (first). */
    @Override
    public boolean add(E e) {
        Objects.requireNonNull(e);
        if (size == ring.length) {
            dropped++;
            if (!keepLatest) {
                return false;
            }
            ring[start] = e;
            start = (start + 1) % ring.length;
        } else {
            ring[(start + size) % ring.length] = e;
            size++;
        }
        modCount++;
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        Objects.checkIndex(index, size);
        return (E) ring[(start + index) % ring.length];
    }

    @Override
    public int size() {
        return size;
    }

    /** Empties the log; {@link #dropped()} is kept. */
    @Override
    public void clear() {
        Arrays.fill(ring, null);
        start = 0;
        size = 0;
        modCount++;
    }

    /** Entries not kept because the log was full (since creation). */
    public long dropped() {
        return dropped;
    }

    public int capacity() {
        return ring.length;
    }
}
