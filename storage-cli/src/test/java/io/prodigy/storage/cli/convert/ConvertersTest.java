package io.prodigy.storage.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    private final TimeConverter time = new TimeConverter(clock);

    @Test
    void timesInEveryAcceptedForm() {
        assertThat(time.convert("2026-11-21T10:00:00Z")).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(time.convert("2026-11-21T10:00:00.5Z")).isEqualTo("2026-11-21T10:00:00.500Z");
        assertThat(time.convert("2026-11-21T11:00:00+01:00")).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(time.convert("2026-11-20")).isEqualTo("2026-11-20T00:00:00Z");
        assertThat(time.convert("15m")).isEqualTo("2026-11-21T11:45:00Z");
        assertThat(time.convert("1h 30m")).isEqualTo("2026-11-21T10:30:00Z");
        assertThat(time.convert(" 7d ")).isEqualTo("2026-11-14T12:00:00Z");
    }

    @Test
    void badTimesSayWhatIsAccepted() {
        assertThatThrownBy(() -> time.convert("last tuesday")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'last tuesday' is not a time: use an ISO-8601 time such as 2026-11-21T10:00:00Z, a date"
                        + " such as 2026-11-21, or an age such as 15m, 2h or 7d");
        assertThatThrownBy(() -> time.convert("30")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void durations() {
        DurationConverter d = new DurationConverter();
        assertThat(d.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(d.convert("1m 30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.convert("30d")).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> d.convert("30")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'30' is not a duration such as 500ms, 30s, 1m, 1h or 1m 30s (units: ms, s, m, h, d)");
    }
}
