package io.prodigy.storage.core.layer.locking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.core.layer.LayerFixture;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.tck.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LockingSwitchTest {

    private static String key() {
        return "lock-" + UUID.randomUUID();
    }

    @Test
    void withLockingOffEveryAcquireSucceedsWithAFreshLeaseAndAHigherToken() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withLocking(false))) {
            LockService locks = f.storage.locks();
            String key = key();

            LockLease first = locks.tryAcquire(key, Duration.ofMinutes(1)).orElseThrow();
            LockLease second = locks.tryAcquire(key, Duration.ofMinutes(1)).orElseThrow();
            LockLease third = locks.acquire(key, Duration.ofMinutes(1), Duration.ZERO);

            assertThat(second.holder()).isNotEqualTo(first.holder());
            assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
            assertThat(third.fencingToken()).isGreaterThan(second.fencingToken());
            assertThat(first.expiresAt()).isEqualTo(TestClock.DEFAULT_START.plus(Duration.ofMinutes(1)));

            LockLease extended = locks.extend(first, Duration.ofMinutes(5));
            assertThat(extended.fencingToken()).isEqualTo(first.fencingToken());
            assertThat(extended.expiresAt()).isEqualTo(TestClock.DEFAULT_START.plus(Duration.ofMinutes(5)));
            locks.release(first);
            locks.release(first);
            assertThat(locks.current(key)).isEmpty();
            assertThat(locks.list()).isEmpty();
            assertThat(locks.forceRelease(key)).isEmpty();
            assertThat(f.faults.calls()).as("the backend's locks are not used").isEmpty();
        }
    }

    @Test
    void argumentsAreStillValidated() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withLocking(false))) {
            assertThatThrownBy(() -> f.storage.locks().tryAcquire("../etc", Duration.ofMinutes(1)))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> f.storage.locks().tryAcquire(key(), Duration.ofMillis(1)))
                    .isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void theFirstAcquireLogsAWarningOnce() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withLocking(false))) {
            f.storage.locks().tryAcquire(key(), Duration.ofMinutes(1));
            f.storage.locks().tryAcquire(key(), Duration.ofMinutes(1));
            f.storage.locks().acquire(key(), Duration.ofMinutes(1), Duration.ZERO);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log.split("Storage locking is disabled", -1)).as("warnings in:%n%s", log).hasSize(2);
        assertThat(log).contains("WARN").contains("enable_locking: false");
    }

    @Test
    void fencedWritesGoThroughEvenIfTheBackendGrantedTheKeyBefore() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withLocking(false))) {
            String key = key();
            for (int i = 0; i < 3; i++) {
                LockLease real = f.memory.locks().tryAcquire(key, Duration.ofMinutes(1)).orElseThrow();
                f.memory.locks().release(real);
            }
            LockLease noOp = f.storage.locks().tryAcquire(key, Duration.ofMinutes(1)).orElseThrow();
            assertThat(noOp.fencingToken()).isEqualTo(1);

            PersistedSession saved = f.storage.sessions().save(
                    PersistedSession.create("session-" + UUID.randomUUID(), TestClock.DEFAULT_START), noOp.fence());

            assertThat(saved.revision()).isEqualTo(1);
        }
    }

    @Test
    void withLockingOnTheBackendsLocksAreUsed() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config())) {
            String key = key();
            Optional<LockLease> first = f.storage.locks().tryAcquire(key, Duration.ofMinutes(1));

            assertThat(first).isPresent();
            assertThat(f.storage.locks().tryAcquire(key, Duration.ofMinutes(1))).isEmpty();
            assertThat(f.faults.callCount("locks.tryAcquire")).isEqualTo(2);
            assertThat(f.storage.health().details()).containsEntry("locking_enabled", true);
        }
    }
}
