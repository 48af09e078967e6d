package io.prodigy.storage.cli.convert;

import io.prodigy.storage.config.Durations;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time for {@code --since}/{@code --until}: an ISO-8601 instant ({@code 2026-11-21T10:00:00Z}), a date and
 * time with an offset ({@code 2026-11-21T10:00:00+01:00}), a date ({@code 2026-11-21}, midnight UTC), or a duration
 * meaning "that long ago" ({@code 15m}, {@code 2h}, {@code 7d}).
 */
public final class TimeConverter implements ITypeConverter<Instant> {

    private final Clock clock;

    public TimeConverter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String value) {
        String v = value.strip();
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException notInstant) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException notOffset) {
            // try the other forms
        }
        try {
            return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notDate) {
            // try the other forms
        }
        try {
            return clock.instant().minus(Durations.parse(v));
        } catch (IllegalArgumentException notDuration) {
            throw new TypeConversionException("'" + value + "' is not a time: use an ISO-8601 time such as"
                    + " 2026-11-21T10:00:00Z, a date such as 2026-11-21, or an age such as 15m, 2h or 7d");
        }
    }
}
