package io.prodigy.storage.support.deadline;

import io.prodigy.storage.error.StorageUnavailableException;

/**
 * The deadline of the storage call running on this thread, set by the timeout layer for backends that bound their
 * own waits ({@link BoundedWaits}) and read by those backends at each point where a call may wait.
 *
 * <p>Allocation-free on the hot path: one mutable holder per thread, a {@link System#nanoTime()} reading per call.
 * Without a deadline (a call made on the bare backend, or outside any call) every wait is unbounded, as before.
 */
public final class CallDeadline {

    /** No deadline: {@link #remainingNanos()} reports this when none is set. */
    public static final long NONE = Long.MAX_VALUE;

    /** Budgets from here on count as "no deadline": adding them to a nanoTime reading could overflow. */
    private static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

    private static final ThreadLocal<long[]> CURRENT = ThreadLocal.withInitial(() -> new long[] {NONE});

    private CallDeadline() {}

    /**
     * Starts a call on this thread that must finish waiting within {@code budgetNanos}.
     *
     * @return the deadline that was set before (calls may nest), to hand to {@link #end}
     */
    public static long start(long budgetNanos) {
        long[] slot = CURRENT.get();
        long previous = slot[0];
        slot[0] = budgetNanos >= FOREVER_NANOS ? NONE : System.nanoTime() + budgetNanos;
        return previous;
    }

    /** Ends the call {@link #start} began, restoring the deadline it returned. */
    public static void end(long previous) {
        CURRENT.get()[0] = previous;
    }

    /** Nanoseconds until the current call's deadline (zero or less once it passed); {@link #NONE} without one. */
    public static long remainingNanos() {
        long deadline = CURRENT.get()[0];
        return deadline == NONE ? NONE : deadline - System.nanoTime();
    }

    /**
     * The error a backend throws when a wait outlasts the call's deadline. Nothing was changed by the wait itself;
     * the timeout layer reports it as the same timeout a pool-run call gets.
     *
     * @param waitingFor what the call was waiting for, for the message ("the guard of 'sessions/'")
     */
    public static Exceeded exceeded(String waitingFor) {
        return new Exceeded("Gave up waiting for " + waitingFor + ": the call's deadline (storage.timeout) passed.");
    }

    /** A wait that outlasted its call's deadline; retryable, like any timeout. */
    public static final class Exceeded extends StorageUnavailableException {
        private static final long serialVersionUID = 1L;

        Exceeded(String message) {
            super(message);
        }
    }
}
