package io.prodigy.storage.cli.convert;

import io.prodigy.storage.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations in the configuration's syntax ({@code 500ms}, {@code 30s}, {@code 1h}, {@code 7d}, {@code 1m 30s}). */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not " + Durations.SYNTAX
                    + " (units: ms, s, m, h, d)");
        }
    }
}
