package io.prodigy.storage.tck;

import static io.prodigy.storage.tck.ContractAssertions.assertInvalidInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.Capability;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.LockTimeoutException;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of {@link LockService}: at most one live lease per key, fencing tokens strictly increasing per key
 * across holders, releases, takeovers and force-releases; only the holder extends or releases
 * ({@link LockNotHeldException} otherwise); an expired lease can be taken over (at exactly {@code expiresAt} on the
 * {@link TestClock} for backends with {@link Capability#CLIENT_CLOCK}, after a short real TTL for all); a blocking
 * acquire waits for a release and times out with {@link LockTimeoutException}; a fuzz test ({@link LockFuzzTester})
 * with many threads proves exclusion; invalid keys and too-short TTLs are rejected.
 *
 * <p>Use it by extending it and implementing the hook:
 * <pre>{@code
 * class MemoryLockServiceContractTest extends LockServiceContract {
 *     protected UnifiedStorage open(StorageContext context) {
 *         return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
 *     }
 * }
 * }</pre>
 * Every test uses fresh lock keys, so the store may be shared with other tests. A backend that can be restarted over
 * the same data overrides {@link #reopen} to also prove that tokens keep increasing across restarts.
 */
public abstract class LockServiceContract extends StorageContractSupport {

    private static final Duration TTL = Duration.ofMinutes(5);

    private LockService locks() {
        return storage().locks();
    }

    private LockLease acquired(String key, Duration ttl) {
        return locks().tryAcquire(key, ttl).orElseThrow(() -> new AssertionError("lock '" + key + "' was not free"));
    }

    private static void assertSameGrant(LockLease actual, LockLease expected) {
        assertThat(actual.key()).isEqualTo(expected.key());
        assertThat(actual.holder()).isEqualTo(expected.holder());
        assertThat(actual.fencingToken()).isEqualTo(expected.fencingToken());
        assertThat(actual.expiresAt()).isEqualTo(expected.expiresAt());
    }

    @Test
    void aFreeKeyIsGrantedWithAPositiveToken() {
        String key = uniqueId("lock");
        LockLease lease = acquired(key, TTL);

        assertThat(lease.key()).isEqualTo(key);
        assertThat(lease.holder()).isNotBlank();
        assertThat(lease.ttl()).isEqualTo(TTL);
        assertThat(lease.fencingToken()).isPositive();
        assertThat(lease.expiresAt()).isEqualTo(lease.acquiredAt().plus(TTL));
        assertThat(lease.fence().lockKey()).isEqualTo(key);
        assertThat(lease.fence().token()).isEqualTo(lease.fencingToken());
    }

    @Test
    void aGrantIsStampedWithTheStoreClock() {
        assumeCapability(Capability.CLIENT_CLOCK);
        clock.set(TestClock.DEFAULT_START.plusSeconds(42));
        LockLease lease = acquired(uniqueId("lock"), Duration.ofSeconds(30));

        assertThat(lease.acquiredAt()).isEqualTo(clock.instant());
        assertThat(lease.expiresAt()).isEqualTo(clock.instant().plusSeconds(30));
    }

    @Test
    void aHeldKeyIsNotGrantedAgain() {
        String key = uniqueId("lock");
        LockLease lease = acquired(key, TTL);

        assertThat(locks().tryAcquire(key, TTL)).isEmpty();
        assertSameGrant(locks().current(key).orElseThrow(), lease);
    }

    @Test
    void differentKeysAreIndependent() {
        LockLease a = acquired(uniqueId("lock"), TTL);
        LockLease b = acquired(uniqueId("lock"), TTL);

        assertThat(a.holder()).isNotEqualTo(b.holder());
        locks().release(a);
        assertSameGrant(locks().current(b.key()).orElseThrow(), b);
    }

    @Test
    void releaseFreesTheKeyAndTheNextGrantHasAHigherTokenAndAnotherHolder() {
        String key = uniqueId("lock");
        List<LockLease> grants = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            LockLease lease = acquired(key, TTL);
            grants.add(lease);
            locks().release(lease);
            assertThat(locks().current(key)).isEmpty();
        }

        assertThat(grants).extracting(LockLease::fencingToken).isSorted().doesNotHaveDuplicates();
        assertThat(grants).extracting(LockLease::holder).doesNotHaveDuplicates();
    }

    @Test
    void releasingTwiceOrWithAStaleLeaseIsRejected() {
        String key = uniqueId("lock");
        LockLease first = acquired(key, TTL);
        locks().release(first);
        assertThatThrownBy(() -> locks().release(first)).isInstanceOf(LockNotHeldException.class)
                .hasMessageContaining(key);

        LockLease second = acquired(key, TTL);
        assertThatThrownBy(() -> locks().release(first)).as("a previous holder cannot release the new lease")
                .isInstanceOf(LockNotHeldException.class);
        assertSameGrant(locks().current(key).orElseThrow(), second);
    }

    @Test
    void currentAndListShowLiveLeasesOrderedByKey() {
        String prefix = uniqueId("list");
        LockLease b = acquired(prefix + "-b", TTL);
        LockLease a = acquired(prefix + "-a", TTL);
        LockLease c = acquired(prefix + "-c", TTL);
        locks().release(c);

        List<LockLease> mine = locks().list().stream().filter(l -> l.key().startsWith(prefix)).toList();
        assertThat(mine).extracting(LockLease::key).containsExactly(a.key(), b.key());
        assertThat(locks().list()).extracting(LockLease::key).isSorted();
        assertSameGrant(locks().current(a.key()).orElseThrow(), a);
        assertThat(locks().current(c.key())).isEmpty();
        assertThat(locks().current(uniqueId("never"))).isEmpty();
    }

    @Test
    void extendMovesTheExpiryAndKeepsTheToken() {
        String key = uniqueId("lock");
        LockLease lease = acquired(key, Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(10));

        LockLease extended = locks().extend(lease, Duration.ofMinutes(2));

        assertThat(extended.fencingToken()).isEqualTo(lease.fencingToken());
        assertThat(extended.holder()).isEqualTo(lease.holder());
        assertThat(extended.ttl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(extended.expiresAt()).isAfter(lease.expiresAt());
        assertSameGrant(locks().current(key).orElseThrow(), extended);
        locks().release(extended);
        assertThat(locks().current(key)).isEmpty();
    }

    @Test
    void extendIsMeasuredFromNowOnTheStoreClock() {
        assumeCapability(Capability.CLIENT_CLOCK);
        String key = uniqueId("lock");
        LockLease lease = acquired(key, Duration.ofSeconds(30));
        Instant now = clock.advance(Duration.ofSeconds(20));

        LockLease extended = locks().extend(lease, Duration.ofSeconds(30));
        assertThat(extended.expiresAt()).isEqualTo(now.plusSeconds(30));

        clock.advance(Duration.ofSeconds(29));
        assertThat(locks().tryAcquire(key, TTL)).as("the extended lease is still live").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(locks().tryAcquire(key, TTL)).as("the extended lease expired").isPresent();
    }

    @Test
    void onlyTheHolderCanExtend() {
        String key = uniqueId("lock");
        LockLease first = acquired(key, TTL);
        locks().release(first);
        assertThatThrownBy(() -> locks().extend(first, TTL)).as("extending a released lease")
                .isInstanceOf(LockNotHeldException.class).hasMessageContaining(key);

        LockLease second = acquired(key, TTL);
        assertThatThrownBy(() -> locks().extend(first, TTL)).as("extending someone else's lease")
                .isInstanceOf(LockNotHeldException.class);
        assertSameGrant(locks().current(key).orElseThrow(), second);
    }

    @Test
    void forceReleaseBreaksAnyLeaseAndBumpsTheToken() {
        String key = uniqueId("lock");
        LockLease victim = acquired(key, TTL);

        Optional<LockLease> broken = locks().forceRelease(key);
        assertThat(broken).hasValueSatisfying(l -> assertSameGrant(l, victim));
        assertThat(locks().current(key)).isEmpty();

        LockLease next = acquired(key, TTL);
        assertThat(next.fencingToken()).isGreaterThan(victim.fencingToken());
        assertThatThrownBy(() -> locks().release(victim)).isInstanceOf(LockNotHeldException.class);
        assertThatThrownBy(() -> locks().extend(victim, TTL)).isInstanceOf(LockNotHeldException.class);
        assertSameGrant(locks().current(key).orElseThrow(), next);

        assertThat(locks().forceRelease(uniqueId("free"))).as("force-releasing a free key").isEmpty();
    }

    @Test
    void tokensKeepIncreasingAcrossReleasesTakeoversAndForceReleases() {
        String key = uniqueId("lock");
        List<Long> tokens = new ArrayList<>();
        LockLease l1 = acquired(key, TTL);
        tokens.add(l1.fencingToken());
        locks().forceRelease(key);
        LockLease l2 = acquired(key, Duration.ofMillis(200));
        tokens.add(l2.fencingToken());
        LockLease l3 = takeOverAfterExpiry(key);
        tokens.add(l3.fencingToken());
        locks().release(l3);
        tokens.add(acquired(key, TTL).fencingToken());

        assertThat(tokens).isSorted().doesNotHaveDuplicates();
    }

    /** Waits (with {@link #elapse}) until the current lease of {@code key} expired and takes it over. */
    private LockLease takeOverAfterExpiry(String key) {
        long deadline = System.nanoTime() + Await.DEFAULT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            elapse(Duration.ofMillis(50));
            Optional<LockLease> lease = locks().tryAcquire(key, TTL);
            if (lease.isPresent()) {
                return lease.get();
            }
        }
        throw new AssertionError("the lease of '" + key + "' never expired");
    }

    @Test
    void anExpiredLeaseIsTakenOverWithAHigherToken() {
        String key = uniqueId("lock");
        LockLease zombie = acquired(key, Duration.ofMillis(200));
        assertThat(locks().tryAcquire(key, TTL)).as("live right after the grant").isEmpty();

        LockLease taker = takeOverAfterExpiry(key);

        assertThat(taker.fencingToken()).isGreaterThan(zombie.fencingToken());
        assertThat(taker.holder()).isNotEqualTo(zombie.holder());
        assertThatThrownBy(() -> locks().extend(zombie, TTL)).as("the zombie cannot extend")
                .isInstanceOf(LockNotHeldException.class);
        assertThatThrownBy(() -> locks().release(zombie)).as("the zombie cannot release the new lease")
                .isInstanceOf(LockNotHeldException.class);
        assertSameGrant(locks().current(key).orElseThrow(), taker);
    }

    @Test
    void aLeaseExpiresAtExactlyItsExpiryOnTheStoreClock() {
        assumeCapability(Capability.CLIENT_CLOCK);
        String key = uniqueId("lock");
        LockLease lease = acquired(key, Duration.ofSeconds(30));

        clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(locks().tryAcquire(key, TTL)).as("1 ms before expiry").isEmpty();
        assertThat(locks().current(key)).isPresent();

        clock.advance(Duration.ofMillis(1));
        assertThat(locks().current(key)).as("expired leases are not current").isEmpty();
        assertThat(locks().list()).extracting(LockLease::key).as("expired leases are not listed")
                .doesNotContain(key);
        LockLease taker = acquired(key, TTL);
        assertThat(taker.fencingToken()).isGreaterThan(lease.fencingToken());
        assertThat(taker.acquiredAt()).isEqualTo(clock.instant());
    }

    @Test
    void anExpiredLeaseThatNobodyTookOverIsReleasedQuietly() {
        assumeCapability(Capability.CLIENT_CLOCK);
        String key = uniqueId("lock");
        LockLease lease = acquired(key, Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(11));

        locks().release(lease);

        assertThat(locks().current(key)).isEmpty();
        assertThat(acquired(key, TTL).fencingToken()).isGreaterThan(lease.fencingToken());
    }

    @Test
    void extendingAnExpiredLeaseIsRejected() {
        assumeCapability(Capability.CLIENT_CLOCK);
        String key = uniqueId("lock");
        LockLease lease = acquired(key, Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(10));

        assertThatThrownBy(() -> locks().extend(lease, TTL)).isInstanceOf(LockNotHeldException.class);
    }

    @Test
    void aBlockingAcquireOfAFreeKeyReturnsAtOnce() {
        String key = uniqueId("lock");
        LockLease lease = locks().acquire(key, TTL, Duration.ofSeconds(5));
        assertThat(lease.key()).isEqualTo(key);
        assertSameGrant(locks().current(key).orElseThrow(), lease);
    }

    @Test
    void aBlockingAcquireGetsTheLockWhenTheHolderReleases() throws Exception {
        String key = uniqueId("lock");
        LockLease holder = acquired(key, TTL);

        CompletableFuture<LockLease> waiter = inBackground(
                () -> locks().acquire(key, TTL, Await.DEFAULT_TIMEOUT));
        Await.sleep(Duration.ofMillis(100));
        assertThat(waiter).as("the waiter waits while the lock is held").isNotDone();
        locks().release(holder);

        LockLease granted = waiter.get(Await.DEFAULT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(granted.fencingToken()).isGreaterThan(holder.fencingToken());
        assertSameGrant(locks().current(key).orElseThrow(), granted);
    }

    @Test
    void aBlockingAcquireTimesOutWhileTheLockStaysTaken() throws Exception {
        String key = uniqueId("lock");
        LockLease holder = acquired(key, Duration.ofHours(1));

        // The wait budget may be measured in real time or on the store clock; move both so either kind ends.
        CompletableFuture<LockLease> waiter = inBackground(
                () -> locks().acquire(key, TTL, Duration.ofMillis(300)));
        long deadline = System.nanoTime() + Await.DEFAULT_TIMEOUT.toNanos();
        while (!waiter.isDone() && System.nanoTime() < deadline) {
            clock.advance(Duration.ofMillis(100));
            Await.sleep(Duration.ofMillis(20));
        }
        assertThat(waiter).as("the acquire gave up").isDone();

        Throwable thrown = catchThrowable(waiter::join);
        assertThat(thrown).hasCauseInstanceOf(LockTimeoutException.class);
        LockTimeoutException timeout = (LockTimeoutException) thrown.getCause();
        assertThat(timeout.lockKey()).isEqualTo(key);
        assertThat(timeout.getMessage()).contains(key);
        assertThat(timeout.isRetryable()).isFalse();
        assertSameGrant(locks().current(key).orElseThrow(), holder);
    }

    @Test
    void aBlockingAcquireTakesOverALeaseThatExpiresWhileWaiting() throws Exception {
        assumeCapability(Capability.CLIENT_CLOCK);
        String key = uniqueId("lock");
        LockLease zombie = acquired(key, Duration.ofSeconds(30));

        // A wait budget far above the clock jump, in case the backend measures the wait on the store clock.
        CompletableFuture<LockLease> waiter = inBackground(
                () -> locks().acquire(key, TTL, Duration.ofMinutes(10)));
        Await.sleep(Duration.ofMillis(50));
        clock.advance(Duration.ofSeconds(31));

        LockLease granted = waiter.get(Await.DEFAULT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(granted.fencingToken()).isGreaterThan(zombie.fencingToken());
    }

    @Test
    void manyThreadsNeverHoldALockAtOnceAndTokensStrictlyIncrease() throws Exception {
        List<String> keys = List.of(uniqueId("fuzz"), uniqueId("fuzz"));
        LockFuzzTester.Result result = new LockFuzzTester(locks(), keys, 8, 60).run(Duration.ofSeconds(60));

        assertThat(result.counters()).as("no lost update under the lock").isEqualTo(result.expectedCounters());
        for (String key : keys) {
            List<Long> tokens = result.tokensInGrantOrder().get(key);
            assertThat(tokens).as("tokens of '%s' in grant order", key).hasSize(result.expectedCounters().get(key))
                    .isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void tokensKeepIncreasingAcrossARestart() {
        assumeCapability(Capability.DURABLE);
        String key = uniqueId("lock");
        UnifiedStorage before = storage();
        LockLease lease = acquired(key, Duration.ofSeconds(1));
        locks().release(lease);
        before.close();

        UnifiedStorage after = reopenStorage(before);
        LockLease next = after.locks().tryAcquire(key, TTL).orElseThrow();
        assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
    }

    @Test
    void ttlsShorterThanTheMinimumAreRejected() {
        String key = uniqueId("lock");
        Duration tooShort = LockService.MIN_TTL.minusMillis(1);
        assertInvalidInput(() -> locks().tryAcquire(key, tooShort), "a TTL of " + tooShort);
        assertInvalidInput(() -> locks().tryAcquire(key, Duration.ZERO), "a zero TTL");
        assertInvalidInput(() -> locks().tryAcquire(key, Duration.ofSeconds(-1)), "a negative TTL");
        assertThat(locks().current(key)).isEmpty();
        assertThat(locks().tryAcquire(key, LockService.MIN_TTL)).as("exactly the minimum is fine").isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.prodigy.storage.tck.InvalidIds#all")
    void invalidKeysAreRejectedBeforeReachingTheStore(String label, String badKey) {
        assertInvalidInput(() -> locks().tryAcquire(badKey, TTL), "tryAcquire of lock key " + label);
        assertInvalidInput(() -> locks().acquire(badKey, TTL, Duration.ofMillis(10)), "acquire of lock key " + label);
        assertInvalidInput(() -> locks().current(badKey), "current of lock key " + label);
        assertInvalidInput(() -> locks().forceRelease(badKey), "forceRelease of lock key " + label);
    }
}
