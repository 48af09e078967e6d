package io.prodigy.storage.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.workflow.WorkflowExecution;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 17: instants outside the documented range are refused by the records themselves, on every backend. */
class InstantRangeTest {

    private static final Instant FAR = Instant.parse("+999999999-12-31T23:59:59Z");
    private static final Instant EARLY = Instant.parse("-0001-12-31T23:59:59Z");

    @Test
    void theEdgesAreAcceptedAndOneStepBeyondIsRefused() {
        assertThat(InstantRange.check("t", Instant.parse("0000-01-01T00:00:00Z"))).isEqualTo(InstantRange.MIN);
        assertThat(InstantRange.check("t", Instant.parse("9999-12-31T23:59:59.999999Z"))).isEqualTo(InstantRange.MAX);
        assertThat(InstantRange.check("t", null)).isNull();
        assertThatThrownBy(() -> InstantRange.check("event timestamp", InstantRange.MAX.plusNanos(1000)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("event timestamp")
                .hasMessageContaining("0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z");
        assertThatThrownBy(() -> InstantRange.check("t", InstantRange.MIN.minusNanos(1)))
                .isInstanceOf(InvalidInputException.class);
        // Every duration between two accepted instants is representable (no overflow in stats or ages).
        assertThat(Duration.between(InstantRange.MIN, InstantRange.MAX).toMillis()).isPositive();
    }

    @Test
    void everyRecordWithAnInstantRefusesOneOutOfRange() {
        assertThatThrownBy(() -> NewEvent.of("a", null).withTimestamp(FAR))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("event timestamp");
        assertThatThrownBy(() -> new DlqFailure("i", null, "e", null, null, Map.of(), FAR))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PersistedSession.create("s", EARLY)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new WorkflowExecution("x", "w", Instant.EPOCH, FAR, null, null))
                .isInstanceOf(InvalidInputException.class);
    }
}
