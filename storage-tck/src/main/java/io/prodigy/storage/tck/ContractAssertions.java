package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.lock.LockLease;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the storage errors, shared by the contracts so every store is held to the same message rules. */
public final class ContractAssertions {

    private ContractAssertions() {}

    /**
     * The call fails with a {@link VersionConflictException} that carries {@code key} and both revisions, and whose
     * message names the key and both revisions (an actual revision of 0 means "does not exist" and need not be
     * printed).
     */
    public static VersionConflictException assertVersionConflict(ThrowingCallable call, String key, long expected,
            long actual) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected a version conflict on '%s'", key)
                .isInstanceOf(VersionConflictException.class);
        VersionConflictException e = (VersionConflictException) thrown;
        assertThat(e.key()).as("key of the conflict").contains(key);
        assertThat(e.expectedRevision()).as("expected revision reported by the conflict").isEqualTo(expected);
        assertThat(e.actualRevision()).as("actual revision reported by the conflict").isEqualTo(actual);
        assertThat(e.getMessage()).as("the message names the key").contains(key);
        if (expected > 0) {
            assertThat(e.getMessage()).as("the message names the expected revision")
                    .containsPattern("\\b" + expected + "\\b");
        }
        if (actual > 0) {
            assertThat(e.getMessage()).as("the message names the stored revision")
                    .containsPattern("\\b" + actual + "\\b");
        }
        assertThat(e.isRetryable()).as("conflicts are not retryable").isFalse();
        return e;
    }

    /** The call fails with a {@link FencingException} for {@code stale}'s key and token. */
    public static FencingException assertFencedOut(ThrowingCallable call, String recordKey, LockLease stale,
            LockLease current) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("a write to '%s' with superseded fencing token %d of lock '%s'", recordKey,
                stale.fencingToken(), stale.key()).isInstanceOf(FencingException.class);
        FencingException e = (FencingException) thrown;
        assertThat(e.lockKey()).isEqualTo(stale.key());
        assertThat(e.presentedToken()).isEqualTo(stale.fencingToken());
        assertThat(e.currentToken()).as("current token reported").isGreaterThanOrEqualTo(current.fencingToken());
        assertThat(e.key()).as("record key of the fencing error").contains(recordKey);
        assertThat(e.isRetryable()).isFalse();
        return e;
    }

    /** The call is rejected with an {@link InvalidInputException} (and so reached no store). */
    public static void assertInvalidInput(ThrowingCallable call, String what) {
        assertThat(catchThrowable(call)).as("%s must be rejected as invalid input", what)
                .isInstanceOf(InvalidInputException.class);
    }
}
