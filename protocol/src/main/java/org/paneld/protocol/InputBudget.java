package org.paneld.protocol;

/**
 * Memory a {@link FrameDecoder} asks for before it holds a large frame whole (every frame except a
 * streamed WRITE): when {@link #tryReserve} refuses, the frame's bytes are skipped as they arrive
 * and answered with a non-fatal ENOMEM. Implemented by the server's daemon-wide memory budget.
 * Any thread.
 */
public interface InputBudget {
    /** Reserves {@code bytes}; false (nothing reserved) when they do not fit. */
    boolean tryReserve(long bytes);

    /** Gives back bytes reserved earlier. */
    void release(long bytes);

    /** What the budget is called in error messages, e.g. {@code "memory_budget_bytes = 25165824"}. */
    String describe();
}
