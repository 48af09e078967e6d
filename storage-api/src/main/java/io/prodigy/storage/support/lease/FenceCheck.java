package io.prodigy.storage.support.lease;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.lock.Fence;

/**
 * Checks a writer's {@link Fence} against the lock it names, by {@link LeaseState#checkFence}'s rule. A store calls it
 * inside the write's atomic step, right before the write (under the record's lock or guard), so that a grant after
 * the check is ordered after the write. {@link LeaseLockService} implements it over its {@link LeaseStore}.
 *
 * <p><b>Atomicity is the caller's job.</b> A backend that can run the check in the same critical section (lock,
 * transaction, script) as the write it guards declares {@link io.prodigy.storage.Capability#ATOMIC_FENCING}; one that
 * cannot (object stores) still checks, right before the write, and documents the window between the two.
 */
@FunctionalInterface
public interface FenceCheck {

    /**
     * Passes if {@code fence} is {@link Fence#NONE} (or {@code null}) or its token is the lock's current one.
     *
     * @param recordKey the record being written, for the message ({@code "session 's-1'"})
     * @throws FencingException if the token was superseded, revoked by a force-release, or never granted
     */
    void check(Fence fence, String recordKey);
}
