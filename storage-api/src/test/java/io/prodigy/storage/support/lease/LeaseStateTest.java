package io.prodigy.storage.support.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.lock.LockLease;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The row transitions and the fence rule every backend shares. */
class LeaseStateTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(30);

    private static LeaseState grant(LeaseState previous, String holder, Instant now) {
        return LeaseState.granted(previous, new LeaseGrant("k", holder, "me", TTL), now);
    }

    @Test
    void grantsTakeTheNextTokenAndNothingLowersIt() {
        LeaseState first = grant(null, "h1", T0);
        assertThat(first.token()).isEqualTo(1);
        assertThat(first.expiresAt()).isEqualTo(T0.plus(TTL));
        assertThat(first.isHeldAt(T0.plus(TTL).minusNanos(1))).isTrue();
        assertThat(first.isHeldAt(T0.plus(TTL))).as("lapsed at exactly expiresAt").isFalse();

        LeaseState released = first.released();
        LeaseState forced = grant(released, "h2", T0).forceReleased();
        LeaseState third = grant(forced, "h3", T0);
        assertThat(List.of(first.token(), released.token(), forced.token(), third.token()))
                .containsExactly(1L, 1L, 2L, 3L);
        assertThat(third.revoked()).as("a grant clears the revocation").isFalse();
        assertThat(forced.forceReleased()).as("force-release is idempotent").isEqualTo(forced);
    }

    @Test
    void onlyTheRecordedHolderWithItsTokenHoldsTheRow() {
        LeaseState row = grant(null, "h1", T0);
        LockLease mine = row.lease(0);
        LockLease forged = new LockLease("k", "h1", "me", T0, TTL, T0.plus(TTL), 2);
        assertThat(row.isHeldBy(mine)).isTrue();
        assertThat(row.isHeldBy(forged)).isFalse();
        assertThat(row.released().isHeldBy(mine)).isFalse();
        assertThat(row.forceReleased().isHeldBy(mine)).isFalse();
        assertThatThrownBy(() -> row.released().lease(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlyTheCurrentUnrevokedTokenPassesAFence() {
        LeaseState row = grant(grant(null, "h1", T0).released(), "h2", T0); // token 2

        assertThatCode(() -> LeaseState.checkFence(new Fence("k", 2), row, "r")).doesNotThrowAnyException();
        assertThatCode(() -> LeaseState.checkFence(Fence.NONE, null, "r")).doesNotThrowAnyException();
        assertThatCode(() -> LeaseState.checkFence(null, row, "r")).doesNotThrowAnyException();
        assertThatCode(() -> LeaseState.checkFence(new Fence("k", 2), row.released(), "r"))
                .as("a released lease's token is current until the next grant").doesNotThrowAnyException();

        assertRejected(new Fence("k", 1), row, 2, "stale");
        assertRejected(new Fence("k", 3), row, 2, "never granted");
        assertRejected(new Fence("k", 1), null, 0, "never been granted");
        assertRejected(new Fence("k", 2), row.forceReleased(), 2, "force-released");
        assertRejected(new Fence("k", 7), LeaseState.repaired("k", 7), 7, "force-released");
    }

    private static void assertRejected(Fence fence, LeaseState row, long current, String why) {
        assertThatThrownBy(() -> LeaseState.checkFence(fence, row, "session 's-1'"))
                .isInstanceOf(FencingException.class).hasMessageContaining(why).hasMessageContaining("s-1")
                .satisfies(e -> {
                    FencingException f = (FencingException) e;
                    assertThat(f.presentedToken()).isEqualTo(fence.token());
                    assertThat(f.currentToken()).isEqualTo(current);
                    assertThat(f.lockKey()).isEqualTo("k");
                });
    }

    @Test
    void keysAreOrderedByTheirUtf8Bytes() {
        Random random = new Random(42);
        int[] pool = {'a', 'Z', '_', '-', 0xE9, 0xD7FF, 0xE000, 0xFF21, 0xFFFD, 0x10000, 0x20000, 0x1F600};
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(4); n >= 0; n--) {
                sb.appendCodePoint(pool[random.nextInt(pool.length)]);
            }
            keys.add(sb.toString());
        }
        for (int i = 1; i < keys.size(); i++) {
            String a = keys.get(i - 1);
            String b = keys.get(i);
            int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
            assertThat(Integer.signum(LeaseStore.KEY_ORDER.compare(a, b))).as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(bytes));
        }
        assertThat(LeaseStore.KEY_ORDER.compare("\uFF21", "\uD840\uDC00")).as("U+FF21 before U+20000").isNegative();
    }
}
