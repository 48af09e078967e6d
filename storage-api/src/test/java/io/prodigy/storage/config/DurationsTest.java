package io.prodigy.storage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"30s,PT30S", "1m,PT1M", "1h,PT1H", "1m 30s,PT1M30S", "500ms,PT0.5S", "1m30s,PT1M30S", "2d,PT48H",
            "1h 1m 1s 1ms,PT1H1M1.001S"})
    void parsesTheDocumentedSyntax(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "abc", "1x", "s", "-1s", "1.5s", "30s extra", " "})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsLargestUnitsFirst() {
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m 30s");
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofHours(25))).isEqualTo("1d 1h");
    }
}
