package io.prodigy.storage.support.fence;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.lock.Fence;

/**
 * The fencing rule, written once for every backend: a write presenting {@link Fence} {@code (key, t)} is rejected if
 * the lock service has granted {@code key} a token higher than {@code t}. A backend supplies only where it keeps the
 * highest granted token ({@link #highestToken}); {@link #check} applies the rule.
 *
 * <p><b>Atomicity is the caller's job.</b> Call {@link #check} inside the same critical section (lock, transaction,
 * script) as the write it guards, right before the write, so that a grant is ordered either before the check (the
 * write is refused) or after the write. A backend that can do this declares
 * {@link io.prodigy.storage.Capability#ATOMIC_FENCING}.
 */
@FunctionalInterface
public interface FenceCheck {

    /** A check against a lock service that never granted anything: every fence passes. */
    FenceCheck NOTHING_GRANTED = lockKey -> 0;

    /** The highest fencing token ever granted for {@code lockKey}, or 0 if it was never granted. */
    long highestToken(String lockKey);

    /**
     * Passes if {@code fence} is {@code null} or {@link Fence#NONE}, or no lease with a higher token has been granted
     * for its key.
     *
     * @param recordKey what is being written, for the message ("session 'x'", "event log of job r/j")
     * @throws FencingException if the token has been superseded; the caller then writes nothing
     */
    default void check(Fence fence, String recordKey) {
        if (fence == null || fence.isNone()) {
            return;
        }
        long highest = highestToken(fence.lockKey());
        if (highest > fence.token()) {
            throw new FencingException(recordKey, fence.lockKey(), fence.token(), highest);
        }
    }
}
