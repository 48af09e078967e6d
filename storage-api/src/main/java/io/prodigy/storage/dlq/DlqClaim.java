package io.prodigy.storage.dlq;

import io.prodigy.storage.support.InstantRange;
import java.time.Instant;
import java.util.Objects;

/**
 * A worker's lease on a DLQ item for reprocessing. While it is live no other claim can take the item.
 *
 * @param token     unique per claim; present it to {@link DlqStorage#remove} and {@link DlqStorage#release}
 * @param worker    who claimed it (for humans and stats)
 * @param claimedAt when
 * @param expiresAt when the item becomes claimable again if neither removed nor released
 */
public record DlqClaim(String token, String worker, Instant claimedAt, Instant expiresAt) {

    public DlqClaim {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(claimedAt, "claimedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        claimedAt = InstantRange.normalize(claimedAt);
        expiresAt = InstantRange.normalize(expiresAt);
    }

    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
