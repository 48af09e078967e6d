package io.prodigy.storage.postgres;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.lock.Fence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The fence check of a write, inside the write's transaction: {@code SELECT … FOR SHARE} on the lock's row, so a
 * concurrent grant of the key (an UPDATE of that row) waits until the write commits or rolls back. A plain read would
 * let a grant commit between the check and the write, and the superseded holder's write would land after it.
 */
final class Fences {

    private Fences() {}

    /**
     * Passes if {@code fence} is {@link Fence#NONE} or no lease with a higher token has been granted for its key.
     *
     * @param recordKey the record being written, for the error message
     * @throws FencingException if the token has been superseded
     */
    static void check(Connection c, Tables t, String recordKey, Fence fence) throws SQLException {
        if (fence == null || fence.isNone()) {
            return;
        }
        long highest = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT token FROM " + t.locks() + " WHERE key = ? FOR SHARE")) {
            ps.setString(1, fence.lockKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    highest = rs.getLong(1);
                }
            }
        }
        if (highest > fence.token()) {
            throw new FencingException(recordKey, fence.lockKey(), fence.token(), highest);
        }
    }

    static boolean isNone(Fence fence) {
        return fence == null || fence.isNone();
    }
}
