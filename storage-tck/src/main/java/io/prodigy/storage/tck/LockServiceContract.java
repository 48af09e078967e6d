package io.prodigy.storage.tck;

import static io.prodigy.storage.tck.ContractAssertions.assertFencedOut;
import static io.prodigy.storage.tck.ContractAssertions.assertInvalidInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.Capability;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.LockTimeoutException;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.session.PersistedSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * with many threads proves exclusion; invalid keys, too-short TTLs and missing arguments are rejected.
 *
 * <p>Fencing as the lock service decides it: only a key's current token passes a fenced write; a force-release
 * revokes the broken holder's token at once, a token that was never granted never passes, and (for
 * {@link Capability#DURABLE} backends) both survive a restart. Listings page by key in UTF-8 byte order; every lease
 * carries a conservative local deadline. Rules that need time to pass have a real-time variant (short TTLs and
 * {@link #elapse}) besides the exact one on the {@link TestClock}, so backends on server time run them too.
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
 * the same data overrides {@link #reopen} to also prove that tokens keep increasing across restarts. Hooks:
 * {@link #shortTtl()} for the real-time expiry tests, {@link #storeClockTolerance()} for backends on a server clock.
 */
public abstract class LockServiceContract extends StorageContractSupport {

    private static final Duration TTL = Duration.ofMinutes(5);

    private LockService locks() {
        return storage().locks();
    }

    /**
     * A TTL that lapses quickly in real time, for the tests that wait for expiry with {@link #elapse}: by default
     * 200 ms or the backend's {@link LockService#minimumTtl()}, whichever is longer. Override it if a grant and a
     * check take longer than that on the backend.
     */
    protected Duration shortTtl() {
        Duration min = locks().minimumTtl();
        return min.compareTo(Duration.ofMillis(200)) > 0 ? min : Duration.ofMillis(200);
    }

    /**
     * How far the store's clock may be from this JVM's, for backends without {@link Capability#CLIENT_CLOCK} whose
     * store stamps instants with its own time (a database's {@code now()}): store-stamped instants are checked to lie
     * within the real time around the call, widened by this. Zero by default (a server on this host).
     */
    protected Duration storeClockTolerance() {
        return Duration.ZERO;
    }

    /** What the store's clock may read at the moment: the {@link TestClock} or, on server time, real time. */
    private Instant storeTimeBound(boolean upper) {
        if (capabilities().contains(Capability.CLIENT_CLOCK)) {
            return clock.instant();
        }
        Instant now = Instant.now();
        return upper ? now.plus(storeClockTolerance()) : now.minus(storeClockTolerance());
    }

    /** {@code key}'s fenced write: creates a fresh session with {@code lease}'s fence (the write a zombie would do). */
    private PersistedSession writeFencedBy(Fence fence) {
        return storage().sessions().save(PersistedSession.create(uniqueId("fenced"), at(0)), fence);
    }

    /** Lets time pass (real and test clock) until {@code key}'s current lease has lapsed. */
    private void elapseUntilLapsed(String key) {
        long deadline = System.nanoTime() + Await.DEFAULT_TIMEOUT.toNanos();
        while (locks().current(key).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the lease of '" + key + "' never lapsed");
            }
            elapse(Duration.ofMillis(50));
        }
    }

    /** Keys in the order every listing must use: by their UTF-8 bytes (an oracle independent of the backends). */
    private static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

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
        assertThat(locks().list()).extracting(LockLease::key).isSortedAccordingTo(UTF8_ORDER);
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
        LockLease l2 = acquired(key, shortTtl());
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
        LockLease zombie = acquired(key, shortTtl());
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
    void ttlsShorterThanTheBackendsMinimumAreRejectedAndExactlyItIsAccepted() {
        String key = uniqueId("lock");
        Duration min = locks().minimumTtl();
        assertThat(min).as("minimum TTL").isPositive().isGreaterThanOrEqualTo(Duration.ofMillis(1));
        Duration tooShort = min.minusMillis(1);
        assertInvalidInput(() -> locks().tryAcquire(key, tooShort), "a TTL of " + tooShort);
        assertInvalidInput(() -> locks().tryAcquire(key, Duration.ZERO), "a zero TTL");
        assertInvalidInput(() -> locks().tryAcquire(key, Duration.ofSeconds(-1)), "a negative TTL");
        assertInvalidInput(() -> locks().acquire(key, tooShort, Duration.ZERO), "acquire with a TTL of " + tooShort);
        assertThat(locks().current(key)).isEmpty();
        LockLease lease = locks().tryAcquire(key, min).orElseThrow();
        assertThat(lease.ttl()).as("exactly the minimum is fine").isEqualTo(min);
    }

    @Test
    void missingAndNegativeArgumentsAreInvalidInputAndChangeNothing() {
        String key = uniqueId("lock");
        assertInvalidInput(() -> locks().tryAcquire(key, null), "tryAcquire without a TTL");
        assertInvalidInput(() -> locks().acquire(key, TTL, null), "acquire without a wait");
        assertInvalidInput(() -> locks().acquire(key, TTL, Duration.ofMillis(-1)), "acquire with a negative wait");
        assertInvalidInput(() -> locks().acquire(key, null, Duration.ZERO), "acquire without a TTL");
        assertInvalidInput(() -> locks().release(null), "release of a missing lease");
        assertInvalidInput(() -> locks().extend(null, TTL), "extend of a missing lease");
        assertThat(locks().current(key)).as("nothing was granted").isEmpty();

        LockLease lease = acquired(key, TTL);
        assertInvalidInput(() -> locks().extend(lease, null), "extend without a TTL");
        assertInvalidInput(() -> locks().extend(lease, Duration.ZERO), "extend with a zero TTL");
        assertSameGrant(locks().current(key).orElseThrow(), lease);
    }

    // ------------------------------------------------------------------------------------------- fencing

    @Test
    void forceReleaseFencesTheBrokenHolderAtOnce() {
        String key = uniqueId("lock");
        LockLease victim = acquired(key, TTL);
        assertThat(writeFencedBy(victim.fence()).revision()).as("the holder writes while it holds the lock")
                .isEqualTo(1);

        assertThat(locks().forceRelease(key)).isPresent();

        String id = uniqueId("zombie");
        assertFencedOut(() -> storage().sessions().save(PersistedSession.create(id, at(0)), victim.fence()), id,
                victim, victim);
        assertThat(storage().sessions().load(id)).as("the fenced-out write stored nothing").isEmpty();
        assertThatThrownBy(() -> locks().extend(victim, TTL)).isInstanceOf(LockNotHeldException.class)
                .hasMessageContaining(key);
        assertThatThrownBy(() -> locks().release(victim)).isInstanceOf(LockNotHeldException.class);
        assertThat(locks().forceRelease(key)).as("force-releasing again finds nothing to break").isEmpty();

        LockLease next = acquired(key, TTL);
        assertThat(next.fencingToken()).isGreaterThan(victim.fencingToken());
        assertThat(writeFencedBy(next.fence()).revision()).as("the next holder writes").isEqualTo(1);
    }

    @Test
    void forceReleaseRevokesAReleasedLeasesFenceToo() {
        String key = uniqueId("lock");
        LockLease lease = acquired(key, TTL);
        locks().release(lease);
        assertThat(writeFencedBy(lease.fence()).revision()).as("a released lease's fence is current until the next"
                + " grant").isEqualTo(1);

        assertThat(locks().forceRelease(key)).as("nothing live was broken").isEmpty();

        assertThatThrownBy(() -> writeFencedBy(lease.fence())).isInstanceOf(FencingException.class);
    }

    @Test
    void aFenceAboveAnyGrantedTokenIsRejected() {
        String key = uniqueId("lock");
        LockLease lease = acquired(key, TTL);
        Fence forged = new Fence(key, lease.fencingToken() + 1);
        String id = uniqueId("forged");

        Throwable thrown = catchThrowable(
                () -> storage().sessions().save(PersistedSession.create(id, at(0)), forged));
        assertThat(thrown).as("a write fenced by a token that was never granted").isInstanceOf(FencingException.class);
        FencingException e = (FencingException) thrown;
        assertThat(e.lockKey()).isEqualTo(key);
        assertThat(e.presentedToken()).isEqualTo(lease.fencingToken() + 1);
        assertThat(e.currentToken()).isEqualTo(lease.fencingToken());
        assertThat(storage().sessions().load(id)).isEmpty();

        assertThatThrownBy(() -> writeFencedBy(new Fence(uniqueId("never"), 1)))
                .as("a fence of a key that was never granted").isInstanceOf(FencingException.class);
        assertThat(writeFencedBy(lease.fence()).revision()).as("the real token still writes").isEqualTo(1);
    }

    @Test
    void aForceReleasedHolderStaysFencedOutAcrossARestart() {
        assumeCapability(Capability.DURABLE);
        String key = uniqueId("lock");
        UnifiedStorage before = storage();
        LockLease victim = before.locks().tryAcquire(key, TTL).orElseThrow();
        before.locks().forceRelease(key);
        before.close();

        UnifiedStorage after = reopenStorage(before);
        assertThatThrownBy(() -> after.sessions().save(PersistedSession.create(uniqueId("zombie"), at(0)),
                victim.fence())).isInstanceOf(FencingException.class);
        assertThatThrownBy(() -> after.locks().release(victim)).isInstanceOf(LockNotHeldException.class);
        assertThat(after.locks().tryAcquire(key, TTL).orElseThrow().fencingToken())
                .isGreaterThan(victim.fencingToken());
    }

    // ------------------------------------------------------------------------------------------- real time

    @Test
    void aGrantIsStampedByTheStoreWithinTheTimeAroundTheCall() {
        Instant earliest = storeTimeBound(false);
        LockLease lease = acquired(uniqueId("lock"), TTL);
        Instant latest = storeTimeBound(true);

        assertThat(lease.acquiredAt()).isBetween(earliest, latest);
        assertThat(lease.expiresAt()).isEqualTo(lease.acquiredAt().plus(TTL));
    }

    @Test
    void anExpiredLeaseThatNobodyTookOverIsReleasedQuietlyInRealTime() {
        String key = uniqueId("lock");
        LockLease lease = acquired(key, shortTtl());
        elapseUntilLapsed(key);

        locks().release(lease);

        assertThat(locks().current(key)).isEmpty();
        assertThat(acquired(key, TTL).fencingToken()).isGreaterThan(lease.fencingToken());
    }

    @Test
    void extendingAnExpiredLeaseIsRejectedInRealTime() {
        String key = uniqueId("lock");
        LockLease lease = acquired(key, shortTtl());
        elapseUntilLapsed(key);

        assertThatThrownBy(() -> locks().extend(lease, TTL)).isInstanceOf(LockNotHeldException.class)
                .hasMessageContaining(key);
        assertThat(locks().current(key)).as("a rejected extend revives nothing").isEmpty();
    }

    @Test
    void aBlockingAcquireTakesOverALeaseThatExpiresWhileWaitingInRealTime() throws Exception {
        String key = uniqueId("lock");
        LockLease zombie = acquired(key, shortTtl());

        CompletableFuture<LockLease> waiter = inBackground(() -> locks().acquire(key, TTL, Await.DEFAULT_TIMEOUT));
        long deadline = System.nanoTime() + Await.DEFAULT_TIMEOUT.toNanos();
        while (!waiter.isDone() && System.nanoTime() < deadline) {
            // Move time only while the zombie holds the key, so the waiter's own lease does not lapse too.
            if (locks().current(key).filter(l -> l.holder().equals(zombie.holder())).isPresent()) {
                elapse(Duration.ofMillis(50));
            } else {
                Await.sleep(Duration.ofMillis(10));
            }
        }

        LockLease granted = waiter.get(5, TimeUnit.SECONDS);
        assertThat(granted.fencingToken()).isGreaterThan(zombie.fencingToken());
        assertSameGrant(locks().current(key).orElseThrow(), granted);
    }

    // ------------------------------------------------------------------------------------------- local deadline

    @Test
    void leasesCarryAConservativeLocalDeadline() {
        String key = uniqueId("lock");
        long before = System.nanoTime();
        LockLease lease = acquired(key, TTL);
        long after = System.nanoTime();
        assertThat(lease.localDeadlineNanos() - before).as("measured from no earlier than the request")
                .isGreaterThanOrEqualTo(TTL.toNanos());
        assertThat(lease.localDeadlineNanos() - after).as("never later than the expiry seen locally")
                .isLessThanOrEqualTo(TTL.toNanos());
        assertThat(lease.isLocallyExpired()).isFalse();

        Duration longer = TTL.multipliedBy(2);
        long beforeExtend = System.nanoTime();
        LockLease extended = locks().extend(lease, longer);
        long afterExtend = System.nanoTime();
        assertThat(extended.localDeadlineNanos() - beforeExtend).isGreaterThanOrEqualTo(longer.toNanos());
        assertThat(extended.localDeadlineNanos() - afterExtend).isLessThanOrEqualTo(longer.toNanos());

        LockLease seen = locks().current(key).orElseThrow();
        assertThat(seen).as("equality ignores the local deadline").isEqualTo(extended);
        assertThat(seen.localTimeLeft()).isPositive().isLessThanOrEqualTo(longer);
        assertThat(seen.localDeadlineNanos() - System.nanoTime()).isLessThanOrEqualTo(longer.toNanos());
    }

    @Test
    void aShortLeaseLapsesLocallyNoLaterThanAtTheStore() {
        assumeCapability(Capability.CLIENT_CLOCK);
        String key = uniqueId("lock");
        LockLease lease = acquired(key, shortTtl());
        Await.sleep(shortTtl());
        assertThat(lease.isLocallyExpired()).as("the local deadline passed with the TTL in real time").isTrue();
        assertThat(lease.localTimeLeft()).isZero();
    }

    // ------------------------------------------------------------------------------------------- listing

    @Test
    void pagesWalkEveryLiveLeaseOnceInKeyOrder() {
        String prefix = uniqueId("page");
        List<String> keys = new ArrayList<>();
        for (String suffix : List.of("e", "a", "d", "b", "c", "f")) {
            keys.add(acquired(prefix + "-" + suffix, TTL).key());
        }
        locks().release(locks().current(prefix + "-d").orElseThrow());
        keys.remove(prefix + "-d");
        keys.sort(UTF8_ORDER);

        for (int limit : List.of(1, 2, 7)) {
            List<String> walked = new ArrayList<>();
            PageRequest request = PageRequest.first(limit);
            while (true) {
                Page<LockLease> page = locks().list(request);
                assertThat(page.items()).as("page size").hasSizeLessThanOrEqualTo(limit);
                page.items().forEach(l -> walked.add(l.key()));
                if (page.next().isEmpty()) {
                    break;
                }
                request = request.withCursor(page.next().get());
            }
            assertThat(walked).as("walk with pages of %d", limit).doesNotHaveDuplicates()
                    .isSortedAccordingTo(UTF8_ORDER);
            assertThat(walked.stream().filter(k -> k.startsWith(prefix)).toList()).as("my keys, pages of %d", limit)
                    .containsExactlyElementsOf(keys);
        }
        assertThat(locks().list().stream().map(LockLease::key).filter(k -> k.startsWith(prefix)).toList())
                .containsExactlyElementsOf(keys);
    }

    @Test
    void listOrdersKeysByTheirUtf8Bytes() {
        String prefix = uniqueId("order");
        // Case, punctuation, accents, a full-width letter (U+FF21) and a supplementary one (U+20000): Java's
        // String order puts U+20000 before U+FF21, UTF-8 byte order after it.
        List<String> keys = new ArrayList<>();
        for (String suffix : List.of("a", "A", "Z", "z", "_", "0", "-x", "\u00e9", "\uFF21", "\uD840\uDC00")) {
            keys.add(acquired(prefix + suffix, TTL).key());
        }
        keys.sort(UTF8_ORDER);

        assertThat(locks().list().stream().map(LockLease::key).filter(k -> k.startsWith(prefix)).toList())
                .containsExactlyElementsOf(keys);
    }

    @Test
    void badPageRequestsAreInvalidInput() {
        acquired(uniqueId("lock"), TTL);
        assertInvalidInput(() -> locks().list((PageRequest) null), "a missing page request");
        assertInvalidInput(() -> locks().list(new PageRequest(1, "not-a-cursor")), "a cursor no listing returned");
        assertInvalidInput(() -> locks().list(new PageRequest(1, "!!")), "a cursor that is not even base64");
        assertInvalidInput(() -> PageRequest.first(0), "a page of 0 items");
        assertInvalidInput(() -> PageRequest.first(PageRequest.MAX_LIMIT + 1), "a page above the maximum");
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
