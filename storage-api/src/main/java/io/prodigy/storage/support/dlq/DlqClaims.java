package io.prodigy.storage.support.dlq;

import io.prodigy.storage.dlq.DlqClaim;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.support.Orders;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The DLQ claim rules, written once for every backend: which items a claim takes, who may remove, release or extend
 * a claimed item, and what a release records. A backend reads the items under its per-job lock (or in its
 * transaction or script), applies these functions, and writes what they return.
 */
public final class DlqClaims {

    /**
     * Oldest first: by {@code enqueuedAt}, then item id by UTF-8 bytes. The order of {@link DlqStorage#list} and of
     * claims ({@link Orders#DLQ_ITEMS}).
     */
    public static final Comparator<DlqItem> OLDEST_FIRST = Orders.DLQ_ITEMS.order();

    private DlqClaims() {}

    /**
     * The items a claim of up to {@code maxItems} takes at {@code now}: the oldest available ones (not under a live
     * claim), oldest first, each with a fresh claim for {@code worker}.
     */
    public static List<DlqItem> claim(Collection<DlqItem> items, String worker, int maxItems, Duration lease,
            Instant now) {
        return items.stream()
                .filter(item -> !item.isClaimedAt(now))
                .sorted(OLDEST_FIRST)
                .limit(maxItems)
                .map(item -> item.withClaim(new DlqClaim(UUID.randomUUID().toString(), worker, now, now.plus(lease))))
                .toList();
    }

    /**
     * Checks that {@code claimToken} may remove {@code item}: it is the token of the item's claim, live or lapsed
     * without anyone having claimed the item since (as {@link io.prodigy.storage.lock.LockService#release} accepts an
     * expired lease nobody took over).
     *
     * @throws LockNotHeldException if the item is not claimed or claimed under another token
     */
    public static void requireHolder(DlqItem item, String claimToken) {
        DlqClaim claim = item.claim();
        if (claim == null) {
            throw new LockNotHeldException(key(item), "the item is not claimed (released, or never claimed); claim"
                    + " it before removing or releasing it");
        }
        if (!claim.token().equals(claimToken)) {
            throw new LockNotHeldException(key(item), "the token is not the item's current claim (claimed by worker '"
                    + claim.worker() + "' until " + claim.expiresAt() + ")");
        }
    }

    /**
     * The item after its holder gave it back: unclaimed, and with {@code error} recorded as a failure of the claim's
     * worker (history appended, retry count incremented) unless {@code error} is {@code null}. The failure is recorded
     * under an id derived from the claim token, so a release retried after a lost reply is recognised: if the item's
     * history already holds it, the item is returned unchanged instead of failing because the claim is gone.
     *
     * @throws LockNotHeldException as {@link #requireHolder}, unless this release was already applied
     */
    public static DlqItem release(DlqItem item, String claimToken, String error, Instant now) {
        if (error != null && claimToken != null && item.hasFailure(releaseFailureId(claimToken))) {
            return item; // this release was applied already; its reply was lost
        }
        requireHolder(item, claimToken);
        DlqItem released = item.withClaim(null);
        if (error == null) {
            return released;
        }
        DlqFailure failure = new DlqFailure(item.itemId(), null, error, item.claim().worker(), null, Map.of(), now,
                releaseFailureId(claimToken));
        return released.withFailure(failure, now);
    }

    /**
     * The item with its live claim extended to {@code lease} from {@code now}; token, worker and claim time unchanged.
     *
     * @throws LockNotHeldException if {@code claimToken} is not the item's claim, or the claim has lapsed (as
     *                              {@link io.prodigy.storage.lock.LockService#extend} refuses an expired lease)
     */
    public static DlqItem extend(DlqItem item, String claimToken, Duration lease, Instant now) {
        requireHolder(item, claimToken);
        DlqClaim claim = item.claim();
        if (!claim.isLiveAt(now)) {
            throw new LockNotHeldException(key(item), "the claim expired at " + claim.expiresAt() + " (now " + now
                    + "); a lapsed claim cannot be extended, claim the item again");
        }
        return item.withClaim(new DlqClaim(claim.token(), claim.worker(), claim.claimedAt(), now.plus(lease)));
    }

    /** The failure id a release with an error records under. */
    static String releaseFailureId(String claimToken) {
        return "release-" + claimToken;
    }

    /** How a claimed item is named in {@link LockNotHeldException}: {@code dlq:<repo>/<job>/<itemId>}. */
    public static String key(DlqItem item) {
        return "dlq:" + item.job() + "/" + item.itemId();
    }
}
