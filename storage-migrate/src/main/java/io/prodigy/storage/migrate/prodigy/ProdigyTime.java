package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The original tool's time encodings (docs/migration.md): RFC 3339 timestamps with 0, 3, 6 or 9 fractional digits and either
 * {@code Z} (serde's {@code DateTime<Utc>}) or {@code +00:00} ({@code to_rfc3339()} inside JSON values); and two
 * duration encodings, {@code [secs, nanos]} (chrono {@code TimeDelta}, event variants) and
 * {@code {"secs": s, "nanos": n}} ({@code std::time::Duration}, everywhere else).
 */
public final class ProdigyTime {

    private ProdigyTime() {}

    /** Parses a timestamp; any RFC 3339 offset is accepted and converted to UTC. */
    public static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The timestamp in a JSON string node, if it is one. */
    public static Optional<Instant> instant(JsonNode node) {
        return node != null && node.isTextual() ? instant(node.textValue()) : Optional.empty();
    }

    /** Parses either duration encoding; empty for anything else (including negative nanos or non-numbers). */
    public static Optional<Duration> duration(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        JsonNode secs;
        JsonNode nanos;
        if (node.isArray() && node.size() == 2) {
            secs = node.get(0);
            nanos = node.get(1);
        } else if (node.isObject() && node.has("secs")) {
            secs = node.get("secs");
            nanos = node.has("nanos") ? node.get("nanos") : null;
        } else {
            return Optional.empty();
        }
        if (!secs.isIntegralNumber() || (nanos != null && !nanos.isIntegralNumber())) {
            return Optional.empty();
        }
        long n = nanos == null ? 0 : nanos.longValue();
        if (n < 0 || n >= 1_000_000_000L) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(secs.longValue(), n));
    }
}
