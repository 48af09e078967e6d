package io.prodigy.storage.memory;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.lock.Fence;

/** Validates a writer's fencing token against the lock service's highest grant for the fence's key. */
@FunctionalInterface
interface FenceCheck {

    /**
     * Passes if {@code fence} is {@link Fence#NONE} or no lease with a higher token has been granted for its key.
     * Call it inside the store's write lock, right before the write, so the check and the write are one step.
     *
     * @param recordKey the record being written, for the error message
     * @throws FencingException if the token has been superseded
     */
    void check(String recordKey, Fence fence);
}
