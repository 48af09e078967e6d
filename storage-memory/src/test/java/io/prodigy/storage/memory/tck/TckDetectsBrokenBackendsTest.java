package io.prodigy.storage.memory.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.CheckpointStorageContract;
import io.prodigy.storage.tck.DlqClaimContract;
import io.prodigy.storage.tck.EventStorageContract;
import io.prodigy.storage.tck.EventSubscriptionContract;
import io.prodigy.storage.tck.LockServiceContract;
import io.prodigy.storage.tck.SessionStorageContract;
import io.prodigy.storage.tck.StorageContractSupport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Proves that the contracts can fail: each test runs one contract test against the memory backend (it must pass)
 * and against the same backend with one behaviour broken ({@link BrokenBackends}; it must fail with an assertion
 * error). A contract test that passed against a broken backend would be a test that cannot fail.
 */
class TckDetectsBrokenBackendsTest {

    /** A contract over the memory backend, optionally broken by {@code breaker}. */
    private interface Breakable {
        void breakWith(UnaryOperator<UnifiedStorage> breaker);
    }

    static final class Sessions extends SessionStorageContract implements Breakable {
        private UnaryOperator<UnifiedStorage> breaker = UnaryOperator.identity();

        public void breakWith(UnaryOperator<UnifiedStorage> b) {
            breaker = b;
        }

        @Override
        protected UnifiedStorage open(StorageContext context) {
            return breaker.apply(MemoryTck.open(context));
        }
    }

    static final class Events extends EventStorageContract implements Breakable {
        private UnaryOperator<UnifiedStorage> breaker = UnaryOperator.identity();

        public void breakWith(UnaryOperator<UnifiedStorage> b) {
            breaker = b;
        }

        @Override
        protected UnifiedStorage open(StorageContext context) {
            return breaker.apply(MemoryTck.open(context));
        }
    }

    static final class Subscriptions extends EventSubscriptionContract implements Breakable {
        private UnaryOperator<UnifiedStorage> breaker = UnaryOperator.identity();

        public void breakWith(UnaryOperator<UnifiedStorage> b) {
            breaker = b;
        }

        @Override
        protected UnifiedStorage open(StorageContext context) {
            return breaker.apply(MemoryTck.open(context));
        }
    }

    static final class Checkpoints extends CheckpointStorageContract implements Breakable {
        private UnaryOperator<UnifiedStorage> breaker = UnaryOperator.identity();

        public void breakWith(UnaryOperator<UnifiedStorage> b) {
            breaker = b;
        }

        @Override
        protected UnifiedStorage open(StorageContext context) {
            return breaker.apply(MemoryTck.open(context));
        }
    }

    static final class Claims extends DlqClaimContract implements Breakable {
        private UnaryOperator<UnifiedStorage> breaker = UnaryOperator.identity();

        public void breakWith(UnaryOperator<UnifiedStorage> b) {
            breaker = b;
        }

        @Override
        protected UnifiedStorage open(StorageContext context) {
            return breaker.apply(MemoryTck.open(context));
        }
    }

    static final class Locks extends LockServiceContract implements Breakable {
        private UnaryOperator<UnifiedStorage> breaker = UnaryOperator.identity();

        public void breakWith(UnaryOperator<UnifiedStorage> b) {
            breaker = b;
        }

        @Override
        protected UnifiedStorage open(StorageContext context) {
            return breaker.apply(MemoryTck.open(context));
        }
    }

    /**
     * Runs the contract test {@code method} on a fresh instance of {@code contractType} (with the JUnit life cycle
     * the contract relies on: a new instance, then its clean-up), optionally broken; returns what it threw, or
     * {@code null} if it passed.
     */
    private static Throwable run(Class<? extends StorageContractSupport> contractType, String method,
            UnaryOperator<UnifiedStorage> breaker, Object... args) throws Exception {
        StorageContractSupport contract = contractType.getDeclaredConstructor().newInstance();
        if (breaker != null) {
            ((Breakable) contract).breakWith(breaker);
        }
        Method test = findMethod(contractType, method);
        Method cleanUp = findMethod(contractType, "closeEverythingOpenedByTheTest");
        Throwable thrown = null;
        try {
            test.invoke(contract, args);
        } catch (InvocationTargetException e) {
            thrown = e.getCause();
        } finally {
            cleanUp.invoke(contract);
        }
        return thrown;
    }

    private static Method findMethod(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Method found = Arrays.stream(c.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
                    .orElse(null);
            if (found != null) {
                found.setAccessible(true);
                return found;
            }
        }
        throw new IllegalArgumentException("no method " + name + " in " + type.getName());
    }

    private static void assertCatches(Class<? extends StorageContractSupport> contract, String method,
            UnaryOperator<UnifiedStorage> breaker, Object... args) throws Exception {
        assertThat(run(contract, method, null, args)).as("%s passes against the memory backend", method).isNull();
        assertThat(run(contract, method, breaker, args)).as("%s against a broken backend", method)
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void lockExclusionIsChecked() throws Exception {
        assertCatches(Locks.class, "aHeldKeyIsNotGrantedAgain", BrokenBackends::locksWithoutExclusion);
    }

    @Test
    void theLockFuzzTestCatchesMissingExclusion() throws Exception {
        Throwable thrown = run(Locks.class, "manyThreadsNeverHoldALockAtOnceAndTokensStrictlyIncrease",
                BrokenBackends::locksWithoutExclusion);
        // Without exclusion a thread either loses an update (an assertion fails) or finds its lease broken when it
        // releases it (the worker fails, reported through its future).
        assertThat(thrown).isInstanceOfAny(AssertionError.class, java.util.concurrent.ExecutionException.class);
    }

    @Test
    void createConflictsAreChecked() throws Exception {
        assertCatches(Sessions.class, "creatingAnExistingIdIsAConflictNotAnOverwrite",
                BrokenBackends::sessionsThatOverwrite);
    }

    @Test
    void fencingIsChecked() throws Exception {
        assertCatches(Sessions.class, "updateWithASupersededFenceIsRejectedAndChangesNothing",
                BrokenBackends::sessionsIgnoringFences);
    }

    @Test
    void idValidationIsChecked() throws Exception {
        assertCatches(Sessions.class, "invalidIdsAreRejectedBeforeReachingTheStore",
                BrokenBackends::sessionsWithoutIdValidation, "traversal", "../../etc/passwd");
    }

    @Test
    void queryLimitsAreChecked() throws Exception {
        assertCatches(Events.class, "queryAppliesTheLimitAfterFiltering", BrokenBackends::queriesIgnoringTheLimit);
    }

    @Test
    void batchAtomicityIsChecked() throws Exception {
        assertCatches(Events.class, "aBatchWithAnInvalidEventStoresNothing", BrokenBackends::appendsThatAreNotAtomic);
    }

    @Test
    void subscriptionStartingPointsAreChecked() throws Exception {
        assertCatches(Subscriptions.class, "subscribingFromNowSkipsEarlierEvents",
                BrokenBackends::subscriptionsThatIgnoreTheStart);
    }

    @Test
    void latestCheckpointOrderIsChecked() throws Exception {
        assertCatches(Checkpoints.class, "latestIsTheNewestByCreationTimeThenId",
                BrokenBackends::latestReturnsTheOldest);
    }

    @Test
    void claimExclusivityIsChecked() throws Exception {
        assertCatches(Claims.class, "claimTakesTheOldestUnclaimedItemsUpToTheMaximum",
                BrokenBackends::claimsWithoutExclusion);
    }
}
