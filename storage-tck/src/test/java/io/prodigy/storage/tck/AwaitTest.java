package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class AwaitTest {

    @Test
    void returnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        assertThatCode(() -> Await.until("three polls", () -> polls.incrementAndGet() >= 3, Duration.ofSeconds(5)))
                .doesNotThrowAnyException();
    }

    @Test
    void failsWithTheDescriptionWhenTheConditionNeverHolds() {
        assertThatThrownBy(() -> Await.until("pigs fly", () -> false, Duration.ofMillis(30)))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("pigs fly");
    }
}
