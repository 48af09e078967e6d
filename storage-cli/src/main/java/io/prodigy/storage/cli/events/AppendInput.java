package io.prodigy.storage.cli.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Parses the JSON Lines that {@code events append} reads: one object per line with {@code event_type} (required),
 * {@code data} (any JSON, default {}), and optional {@code agent_id}, {@code correlation_id}, {@code id} and
 * {@code timestamp} (ISO-8601). {@code job} and {@code sequence} (present in {@code events export} output) are
 * ignored: the target job and its store assign them. Any other field is an error, so a typo is not silently lost.
 * Blank lines are skipped.
 */
final class AppendInput {

    private static final Set<String> FIELDS = Set.of("event_type", "data", "agent_id", "correlation_id", "id",
            "timestamp", "job", "sequence");

    private AppendInput() {}

    /**
     * Reads every line, so that a bad line anywhere rejects the whole input before anything is appended.
     *
     * @param source the input's name for messages ({@code stdin} or the file)
     * @throws UsageException naming the source and line of the first bad record
     */
    static List<NewEvent> readAll(BufferedReader reader, String source) throws IOException {
        List<NewEvent> events = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(parse(line));
            } catch (IllegalArgumentException | InvalidInputException e) {
                throw new UsageException(source + " line " + number + ": " + e.getMessage()
                        + " Nothing was appended.");
            }
        }
        return events;
    }

    static NewEvent parse(String line) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ").");
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new IllegalArgumentException("expected a JSON object such as"
                    + " {\"event_type\":\"agent_completed\",\"data\":{}}.");
        }
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "'; allowed: event_type, data,"
                        + " agent_id, correlation_id, id, timestamp.");
            }
        }
        String type = text(obj, "event_type");
        if (type == null) {
            throw new IllegalArgumentException("missing 'event_type'.");
        }
        String id = text(obj, "id");
        return new NewEvent(id == null ? UUID.randomUUID().toString() : id, timestamp(text(obj, "timestamp")), type,
                obj.has("data") ? obj.get("data") : null, text(obj, "correlation_id"), text(obj, "agent_id"));
    }

    private static String text(ObjectNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string, was " + v.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT) + ".");
        }
        return v.asText();
    }

    private static Instant timestamp(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'timestamp' " + "'" + text + "' is not an ISO-8601 time such as"
                    + " 2026-11-21T10:00:00Z.");
        }
    }
}
