package io.prodigy.storage.support.deadline;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.error.StorageUnavailableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallDeadlineTest {

    @Test
    void withoutACallThereIsNoDeadline() {
        assertThat(CallDeadline.remainingNanos()).isEqualTo(CallDeadline.NONE);
    }

    @Test
    void aCallSeesItsBudgetAndNestedCallsRestoreTheOuterDeadline() {
        long outer = CallDeadline.start(Duration.ofSeconds(30).toNanos());
        try {
            long seen = CallDeadline.remainingNanos();
            assertThat(seen).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30).toNanos());
            long inner = CallDeadline.start(Duration.ofHours(1).toNanos());
            assertThat(CallDeadline.remainingNanos()).isGreaterThan(seen);
            CallDeadline.end(inner);
            assertThat(CallDeadline.remainingNanos()).isLessThanOrEqualTo(seen);
        } finally {
            CallDeadline.end(outer);
        }
        assertThat(CallDeadline.remainingNanos()).isEqualTo(CallDeadline.NONE);
    }

    @Test
    void aBudgetTooLargeToAddToTheClockMeansNoDeadline() {
        long previous = CallDeadline.start(Long.MAX_VALUE);
        try {
            assertThat(CallDeadline.remainingNanos()).isEqualTo(CallDeadline.NONE);
        } finally {
            CallDeadline.end(previous);
        }
    }

    @Test
    void aPassedDeadlineReportsNoTimeLeftAndItsErrorIsRetryable() {
        long previous = CallDeadline.start(0);
        try {
            assertThat(CallDeadline.remainingNanos()).isLessThanOrEqualTo(0);
        } finally {
            CallDeadline.end(previous);
        }
        StorageUnavailableException e = CallDeadline.exceeded("the lock on 'sessions'");
        assertThat(e.isRetryable()).isTrue();
        assertThat(e).hasMessage("Gave up waiting for the lock on 'sessions': the call's deadline (storage.timeout)"
                + " passed.");
    }
}
