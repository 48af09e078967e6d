package io.prodigy.storage.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.Limits;
import org.junit.jupiter.api.Test;

class FailureOutcomeTest {

    @Test
    void errorsAreNotAppliedUnlessTheySayOtherwise() {
        assertThat(new VersionConflictException("session", "s", 1, 2).outcome()).isEqualTo(FailureOutcome.NOT_APPLIED);
        assertThat(new StorageUnavailableException("refused").outcome()).isEqualTo(FailureOutcome.NOT_APPLIED);
        StorageUnavailableException lost = StorageUnavailableException.outcomeUnknown("reply lost", null);
        assertThat(lost.outcome()).isEqualTo(FailureOutcome.UNKNOWN);
        assertThat(lost.isRetryable()).isTrue();
    }

    @Test
    void limitsRefuseWhatIsOverThemAndSaySo() {
        Limits limits = new Limits(10, 5, 100, 3);
        limits.checkBatch(10);
        limits.checkClaim(5);
        limits.checkPayload("event data", 100);

        assertThatThrownBy(() -> limits.checkBatch(11)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("limit of 10");
        assertThatThrownBy(() -> limits.checkClaim(6)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("limit of 5");
        assertThatThrownBy(() -> limits.checkPayload("event data", 101)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("event data is 101 bytes");
        assertThatThrownBy(() -> new Limits(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
