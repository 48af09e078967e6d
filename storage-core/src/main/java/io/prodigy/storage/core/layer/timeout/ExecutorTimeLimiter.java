package io.prodigy.storage.core.layer.timeout;

import io.prodigy.storage.error.StorageUnavailableException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The production {@link TimeLimiter}: runs each call on a pooled daemon thread and waits for it with
 * {@link Future#get(long, TimeUnit)}.
 *
 * <p>The pool hands calls over without queueing and grows to {@code maxConcurrentCalls} threads (idle ones retire
 * after a minute). Calls that outlive their timeout keep their thread until they finish, so a backend that hangs
 * cannot make the pool grow without bound: once every thread is busy, further calls fail at once with a
 * {@link StorageUnavailableException} saying so, instead of piling up.
 *
 * <p><b>Cost.</b> The hand-off to another thread is the price of being able to stop waiting. To keep it small for
 * fast calls (an in-memory backend, a read served from the page cache) the caller first spins briefly
 * ({@value #SPIN_NANOS} ns at most) before parking, which saves a thread wake-up for calls that finish within that
 * time and costs at most that much CPU for those that do not.
 */
public final class ExecutorTimeLimiter implements TimeLimiter {

    /** How long the caller spins on a call before parking. */
    static final long SPIN_NANOS = 20_000;

    /** Submissions tried before a rejection counts as "every thread busy" (a finishing thread may be a moment away). */
    private static final int SUBMIT_ATTEMPTS = 3;

    private final ThreadPoolExecutor pool;
    private final int maxConcurrentCalls;
    private final String backendType;

    public ExecutorTimeLimiter(String backendType, int maxConcurrentCalls) {
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be positive, was " + maxConcurrentCalls);
        }
        this.backendType = backendType;
        this.maxConcurrentCalls = maxConcurrentCalls;
        AtomicInteger threadNumber = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, maxConcurrentCalls, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "prodigy-storage-" + backendType + "-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public <T> T call(Supplier<T> task, Duration limit) throws TimeoutException {
        Future<T> future;
        try {
            future = submit(task);
        } catch (RejectedExecutionException e) {
            if (pool.isShutdown()) {
                // Closed: let the (closed) backend answer for itself, on the caller's thread.
                return task.get();
            }
            throw new StorageUnavailableException("Storage backend '" + backendType + "' has "
                    + maxConcurrentCalls + " calls in progress, some of them past storage.timeout; not starting"
                    + " another until one finishes. The backend may be hanging: check its health.", e);
        }
        try {
            spinBriefly(future);
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Not started yet (only possible under a burst): then it never runs. Started: it runs to its end.
            future.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // The exception was made on a pool thread: its stack trace ends in the pool, not in the user's code.
            // Rethrown as it is (callers catch its type), with the caller's frames attached as suppressed.
            cause.addSuppressed(new CallerFrames(Thread.currentThread().getName(), backendType));
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("storage call failed with a checked exception", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("Interrupted while waiting for a call to storage backend '"
                    + backendType + "'; the call may still complete in the background.", e);
        }
    }

    private <T> Future<T> submit(Supplier<T> task) {
        for (int attempt = 1; ; attempt++) {
            try {
                return pool.submit(task::get);
            } catch (RejectedExecutionException e) {
                // The hand-off queue has no capacity: a thread that just finished a call may not be polling yet.
                if (attempt == SUBMIT_ATTEMPTS || pool.isShutdown()) {
                    throw e;
                }
                Thread.yield();
            }
        }
    }

    private static void spinBriefly(Future<?> future) {
        long end = System.nanoTime() + SPIN_NANOS;
        while (!future.isDone() && System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /** Threads currently running calls (including calls given up on that have not finished yet). */
    public int activeCalls() {
        return pool.getActiveCount();
    }

    @Override
    public void close() {
        pool.shutdown();
    }

    /**
     * Created on the calling thread when a call fails on a pool thread, and attached to the failure as suppressed, so
     * that its stack trace shows where the storage was called from (the failure's own trace shows only the pool
     * thread).
     */
    static final class CallerFrames extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallerFrames(String callerThread, String backendType) {
            super("called from thread '" + callerThread + "' (the storage call ran on a '" + backendType
                    + "' timeout-pool thread; this trace is the caller's)");
        }
    }
}
