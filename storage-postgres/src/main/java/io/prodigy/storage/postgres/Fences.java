package io.prodigy.storage.postgres;

import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.support.lease.LeaseState;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The fence check of a write, inside the write's transaction: the lock's row is read {@code FOR SHARE}, so a
 * concurrent grant or force-release of the key (an UPDATE of that row) waits until the write commits or rolls back,
 * and the shared rule ({@link LeaseState#checkFence}: the key's current, unrevoked token only) is applied to it. A
 * plain read would let a grant commit between the check and the write.
 */
final class Fences {

    private Fences() {}

    /**
     * @param recordKey the record being written, for the error message ({@code "session 's-1'"})
     * @throws io.prodigy.storage.error.FencingException if the token is superseded, revoked or was never granted
     */
    static void check(Connection c, Tables t, String recordKey, Fence fence) throws SQLException {
        if (isNone(fence)) {
            return;
        }
        LeaseState.checkFence(fence, PgLeaseStore.readForShare(c, t, fence.lockKey()), recordKey);
    }

    static boolean isNone(Fence fence) {
        return fence == null || fence.isNone();
    }
}
