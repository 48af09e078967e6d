package io.prodigy.storage.tck;

import static io.prodigy.storage.tck.ContractAssertions.assertFencedOut;
import static io.prodigy.storage.tck.ContractAssertions.assertInvalidInput;
import static io.prodigy.storage.tck.ContractAssertions.assertVersionConflict;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.lock.LockLease;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ContractAssertionsTest {

    private static LockLease lease(long token) {
        return new LockLease("lock-1", "holder-" + token, "", TestClock.DEFAULT_START, Duration.ofMinutes(1),
                TestClock.DEFAULT_START.plusSeconds(60), token);
    }

    @Test
    void aMatchingVersionConflictPasses() {
        assertThatCode(() -> assertVersionConflict(() -> {
            throw new VersionConflictException("session", "s-1", 3, 4);
        }, "s-1", 3, 4)).doesNotThrowAnyException();
    }

    @Test
    void aConflictWithTheWrongRevisionsOrKeyFails() {
        assertThatThrownBy(() -> assertVersionConflict(() -> {
            throw new VersionConflictException("session", "s-1", 3, 4);
        }, "s-1", 2, 4)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertVersionConflict(() -> {
            throw new VersionConflictException("session", "s-1", 3, 4);
        }, "s-2", 3, 4)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertVersionConflict(() -> { }, "s-1", 3, 4)).isInstanceOf(AssertionError.class);
    }

    @Test
    void fencingErrorsMustNameTheStaleToken() {
        LockLease stale = lease(1);
        LockLease current = lease(2);
        assertThatCode(() -> assertFencedOut(() -> {
            throw new FencingException("rec", "lock-1", 1, 2);
        }, "rec", stale, current)).doesNotThrowAnyException();
        assertThatThrownBy(() -> assertFencedOut(() -> {
            throw new FencingException("rec", "lock-1", 5, 6);
        }, "rec", stale, current)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertFencedOut(() -> { }, "rec", stale, current))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void invalidInputMustBeThatExceptionType() {
        assertThatCode(() -> assertInvalidInput(() -> {
            throw new InvalidInputException("bad");
        }, "x")).doesNotThrowAnyException();
        assertThatThrownBy(() -> assertInvalidInput(() -> {
            throw new IllegalArgumentException("bad");
        }, "x")).isInstanceOf(AssertionError.class);
    }
}
