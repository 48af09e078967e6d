package io.prodigy.storage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void defaultScheduleDoublesFromOneSecondAndIsCapped() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        assertThat(p.delayBefore(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delayBefore(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.delayBefore(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.delayBefore(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.delayBefore(60)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void validatesEachField() {
        assertThatThrownBy(() -> new RetryPolicy(-1, Duration.ZERO, Duration.ZERO, 2, true))
                .hasMessage("Invalid value -1 for max_retries: expected a whole number from 0 to 100.");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(5), Duration.ofSeconds(1), 2, true))
                .hasMessage("Invalid value '1s' for max_delay: expected a duration at least initial_delay (5s).");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 0.5, true))
                .hasMessage("Invalid value 0.5 for backoff_multiplier: expected a number from 1.0 to 100.0.");
    }
}
