package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TestClockTest {

    @Test
    void standsStillUntilMoved() {
        TestClock clock = TestClock.startingNow();
        assertThat(clock.instant()).isEqualTo(TestClock.DEFAULT_START);
        assertThat(clock.instant()).isEqualTo(TestClock.DEFAULT_START);
        assertThat(clock.millis()).isEqualTo(TestClock.DEFAULT_START.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void advanceMovesForwardAndReturnsTheNewInstant() {
        TestClock clock = TestClock.at(Instant.parse("2030-01-01T00:00:00Z"));
        Instant after = clock.advance(Duration.ofMinutes(90));
        assertThat(after).isEqualTo(Instant.parse("2030-01-01T01:30:00Z"));
        assertThat(clock.instant()).isEqualTo(after);
    }

    @Test
    void advanceRejectsNegativeAmountsButSetMayGoBack() {
        TestClock clock = TestClock.startingNow();
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set(Instant)");
        Instant earlier = TestClock.DEFAULT_START.minusSeconds(60);
        clock.set(earlier);
        assertThat(clock.instant()).isEqualTo(earlier);
    }

    @Test
    void aZonedViewSharesTheTime() {
        TestClock clock = TestClock.startingNow();
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofSeconds(5));
        assertThat(paris.instant()).isEqualTo(clock.instant());
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        ((TestClock) paris).advance(Duration.ofSeconds(5));
        assertThat(clock.instant()).isEqualTo(TestClock.DEFAULT_START.plusSeconds(10));
    }
}
