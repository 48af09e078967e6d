package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInfo;

/**
 * The base of every contract: one hook to open a storage, plus what the contracts share.
 *
 * <p><b>The hook.</b> {@link #open(StorageContext)} opens a storage for one test. It may be brand new (memory, a
 * file backend in a fresh temporary directory) or shared with other tests (one PostgreSQL database for the whole
 * run): every test uses fresh random ids, jobs, repositories, tags and lock keys, so tests never see each other's
 * records and need no clean-up (the Axon test-suite style). Pass the given context's clock to the backend.
 *
 * <p><b>Time.</b> Each test gets its own {@link TestClock}, standing at {@link TestClock#DEFAULT_START} until the
 * test moves it. Backends with {@link Capability#CLIENT_CLOCK} follow it; tests that need that are skipped (visibly)
 * for the others, and {@link #elapse(Duration)} lets time pass for both kinds.
 *
 * <p><b>Lifecycle.</b> JUnit creates a new instance per test method, so the clock and storage are per test. Every
 * storage opened through {@link #storage()}, {@link #openStorage()} or {@link #reopen} and everything registered with
 * {@link #closeAfterTest} is closed after the test, newest first.
 *
 * <p><b>Optional hook.</b> {@link #reopen(UnifiedStorage, StorageContext)} opens a second storage over the same
 * data; tests of {@link Capability#DURABLE} and {@link Capability#MULTI_PROCESS} need it and are skipped, with a
 * message saying so, when a backend does not override it.
 *
 * <p><b>A long-lived server.</b> A networked backend runs every contract class against one server. Open each
 * class's storages in {@link #namespace()} (a PostgreSQL schema, a Redis key prefix, an S3 key prefix), so that a
 * test listing a whole store sees only its own class's data; share one client per JVM through
 * {@link SharedResources}; override {@link #cleanUpNamespace(String)} to drop the namespace after the class's last
 * test. Sizes, guards and waits of the contracts are overridable methods for slower servers.
 */
public abstract class StorageContractSupport {

    /** The clock of this test; moving it moves time for backends with {@link Capability#CLIENT_CLOCK}. */
    protected final TestClock clock = TestClock.startingNow();

    private static final ConcurrentMap<Class<?>, String> NAMESPACES = new ConcurrentHashMap<>();
    private static final ConcurrentMap<Class<?>, StorageContractSupport> LAST_INSTANCE = new ConcurrentHashMap<>();

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private UnifiedStorage storage;

    protected StorageContractSupport() {
        LAST_INSTANCE.put(getClass(), this);
    }

    /**
     * Opens a storage for one test. Called lazily, at most a few times per test.
     *
     * @param context carries this test's {@link TestClock}; hand it to the backend unchanged
     */
    protected abstract UnifiedStorage open(StorageContext context);

    /**
     * Opens another storage over the same data as {@code previous}: after it was closed (a restart) or while it is
     * still open (a second process). Override it if the backend can; the default skips the calling test.
     */
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return Assumptions.abort("The backend's contract test does not override reopen(previous, context), so"
                + " tests of restarts and of several processes sharing one store cannot run");
    }

    /**
     * This contract class's namespace on a shared server: the same for every test of one concrete class in one run,
     * different between classes and between runs. Lower-case ASCII letters, digits and {@code _}, starting with a
     * letter, at most 40 characters, so it is a valid PostgreSQL schema name, Redis key prefix and S3 key prefix as
     * it stands.
     */
    protected final String namespace() {
        return NAMESPACES.computeIfAbsent(getClass(), StorageContractSupport::newNamespace);
    }

    /**
     * Drops what the class's tests stored in {@code namespace} (a schema, keys under a prefix, objects under a
     * prefix); called once after the last test of each concrete contract class. The default keeps them: every run
     * has fresh namespaces, so leftovers never meet a later test.
     */
    protected void cleanUpNamespace(String namespace) throws Exception {
        // Nothing by default.
    }

    @AfterAll
    static void cleanUpTheNamespaceOfTheClass(TestInfo info) throws Exception {
        Class<?> testClass = info.getTestClass().orElse(null);
        String namespace = testClass == null ? null : NAMESPACES.remove(testClass);
        StorageContractSupport last = testClass == null ? null : LAST_INSTANCE.remove(testClass);
        if (namespace != null && last != null) {
            last.cleanUpNamespace(namespace);
        }
    }

    private static String newNamespace(Class<?> testClass) {
        String name = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        name = name.replaceAll("(contract)?test$", "");
        if (name.length() > 27) {
            name = name.substring(0, 27);
        }
        return "tck_" + name + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /** The storage of this test, opened on first use. */
    protected final synchronized UnifiedStorage storage() {
        // Synchronized: concurrency tests may call it first from worker threads, and they must share one storage.
        if (storage == null) {
            storage = openStorage();
        }
        return storage;
    }

    /** Opens one more storage through the hook (independent or not, as the hook decides); closed after the test. */
    protected final UnifiedStorage openStorage() {
        UnifiedStorage opened = open(context());
        assertThat(opened).as("open(context) returned null").isNotNull();
        return closeAfterTest(opened);
    }

    /** {@link #reopen(UnifiedStorage, StorageContext)} with this test's context; closed after the test. */
    protected final UnifiedStorage reopenStorage(UnifiedStorage previous) {
        UnifiedStorage opened = reopen(previous, context());
        assertThat(opened).as("reopen(previous, context) returned null").isNotNull();
        return closeAfterTest(opened);
    }

    /** The context handed to the hook: this test's clock and no project directory. */
    protected final StorageContext context() {
        return new StorageContext(clock, null);
    }

    /** Closes {@code resource} after the test (newest first), even if the test fails. */
    protected final <T extends AutoCloseable> T closeAfterTest(T resource) {
        toClose.push(resource);
        return resource;
    }

    /** Closes what the test opened, newest first; the first failure is thrown with the others suppressed. */
    @AfterEach
    protected final void closeEverythingOpenedByTheTest() throws Exception {
        Exception first = null;
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Runs {@code work} on a new daemon thread (never on a shared pool that blocking storage calls could starve).
     * The future fails with whatever {@code work} threw.
     */
    protected static <T> CompletableFuture<T> inBackground(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "tck-background");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** The capabilities of this test's storage. */
    protected final Set<Capability> capabilities() {
        return storage().capabilities();
    }

    /** Skips the calling test, visibly, unless the backend declares {@code capability}. */
    protected final void assumeCapability(Capability capability) {
        Assumptions.assumeTrue(capabilities().contains(capability),
                () -> "Skipped: the backend does not declare " + capability);
    }

    /**
     * Lets {@code amount} pass for the store: moves the {@link TestClock}, and if the backend keeps its own time (no
     * {@link Capability#CLIENT_CLOCK}) also sleeps that long. Keep amounts short (well under a second).
     */
    protected final void elapse(Duration amount) {
        clock.advance(amount);
        if (!capabilities().contains(Capability.CLIENT_CLOCK)) {
            Await.sleep(amount);
        }
    }

    /** A fresh id, unique across tests and runs: {@code prefix-<12 hex digits>}. */
    protected static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A fresh repository name. */
    protected static String newRepository() {
        return uniqueId("repo");
    }

    /** A fresh job in a fresh repository. */
    protected static JobRef newJob() {
        return JobRef.of(newRepository(), uniqueId("job"));
    }

    /** {@link TestClock#DEFAULT_START} plus {@code millis}: test timestamps with millisecond precision. */
    protected static Instant at(long millis) {
        return TestClock.DEFAULT_START.plusMillis(millis);
    }

    /**
     * A lease that has been superseded and the one that superseded it: acquires {@code lockKey}, releases it and
     * acquires it again, so {@code stale().fence()} must be rejected by fenced writes and {@code current().fence()}
     * accepted.
     */
    protected final SupersededLease supersede(String lockKey) {
        var locks = storage().locks();
        LockLease first = locks.tryAcquire(lockKey, Duration.ofMinutes(5)).orElseThrow(
                () -> new AssertionError("a fresh lock key '" + lockKey + "' could not be acquired"));
        locks.release(first);
        LockLease second = locks.tryAcquire(lockKey, Duration.ofMinutes(5)).orElseThrow(
                () -> new AssertionError("lock '" + lockKey + "' could not be acquired again after release"));
        assertThat(second.fencingToken()).as("fencing token of the second grant of '%s'", lockKey)
                .isGreaterThan(first.fencingToken());
        return new SupersededLease(first, second);
    }

    /** See {@link #supersede(String)}. */
    protected record SupersededLease(LockLease stale, LockLease current) {}
}
