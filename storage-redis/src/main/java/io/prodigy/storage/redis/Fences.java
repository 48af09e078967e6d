package io.prodigy.storage.redis;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.support.lease.LeaseState;

/**
 * How a write script is fenced: the lock hash and the token go in as a key and an argument, the script runs the
 * shared rule's test on the lock's row ({@code fence_check} in {@code prelude.lua}: the last granted token, not
 * revoked) before its first write, and a refusal comes back as {@code FENCED token revoked}, which
 * {@link #throwIfFenced} turns into {@link LeaseState#checkFence}'s own error.
 */
final class Fences {

    private Fences() {}

    /** The lock hash a fence is checked against; the store's marker (never a lock) when there is no fence. */
    static String key(Keys keys, Fence fence) {
        return fence == null || fence.isNone() ? keys.meta() : keys.lock(fence.lockKey());
    }

    /** The token argument: {@code 0} for no fence. */
    static String token(Fence fence) {
        return fence == null || fence.isNone() ? "0" : Long.toString(fence.token());
    }

    /**
     * @param recordKey the record written, for the message ({@code "session 's-1'"})
     * @throws FencingException if the script refused the write for its fence
     */
    static void throwIfFenced(Reply r, Fence fence, String recordKey) {
        if (!r.is("FENCED")) {
            return;
        }
        LeaseState.checkFence(fence, RedisLeaseStore.fenceRow(fence.lockKey(), r), recordKey);
        throw new IllegalStateException("a Redis script refused fence " + fence + " for " + recordKey
                + " but the lock's row " + r.string(1) + " lets it pass");
    }
}
