package io.prodigy.storage.cli.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
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
 *
 * <p>Each line must hold exactly one JSON object: two objects on one line, or anything after the object, rejects the
 * line (nothing is silently dropped). The input must be UTF-8: a malformed byte sequence rejects its line, the same
 * way for a file and for stdin (nothing is silently replaced). Either way the whole input is refused with the line
 * number and nothing is stored.
 */
final class AppendInput {

    private static final Set<String> FIELDS = Set.of("event_type", "data", "agent_id", "correlation_id", "id",
            "timestamp", "job", "sequence");

    private static final ObjectReader ONE_VALUE = Json.mapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AppendInput() {}

    /**
     * Reads every line, so that a bad line anywhere rejects the whole input before anything is appended.
     *
     * @param in     the raw input (UTF-8, one event per line; {@code \n} or {@code \r\n})
     * @param source the input's name for messages ({@code stdin} or the file)
     * @throws UsageException naming the source and line of the first bad record
     */
    static List<NewEvent> readAll(InputStream in, String source) throws IOException {
        return read(in, source).events();
    }

    /**
     * What {@link #read} found: the events in input order, which of them had no {@code id} line field (they carry a
     * random one), and the SHA-256 of the whole input, from which {@link #withDerivedIds()} makes their ids
     * reproducible.
     */
    record Input(List<NewEvent> events, BitSet generatedIds, byte[] sha256) {

        /**
         * The events with each generated id replaced by one derived from the input's SHA-256 and the event's position
         * in it: reading the same input again gives the same ids, so a store that drops re-sent ids (SPI v2) appends
         * what a killed run did not.
         */
        List<NewEvent> withDerivedIds() {
            String digest = HexFormat.of().formatHex(sha256);
            List<NewEvent> out = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                NewEvent e = events.get(i);
                if (generatedIds.get(i)) {
                    String id = UUID.nameUUIDFromBytes(("prodigy-events-append:" + digest + ":" + i)
                            .getBytes(StandardCharsets.UTF_8)).toString();
                    e = new NewEvent(id, e.timestamp(), e.eventType(), e.data(), e.correlationId(), e.agentId());
                }
                out.add(e);
            }
            return out;
        }
    }

    /** {@link #readAll}, keeping what {@code events append} needs to make a re-run of large input safe. */
    static Input read(InputStream in, String source) throws IOException {
        List<NewEvent> events = new ArrayList<>();
        BitSet generated = new BitSet();
        MessageDigest sha256 = sha256();
        BufferedInputStream bytes = new BufferedInputStream(in, 64 * 1024);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int number = 0;
        boolean more = true;
        while (more) {
            buf.reset();
            int b;
            while ((b = bytes.read()) >= 0 && b != '\n') {
                buf.write(b);
            }
            more = b >= 0;
            if (!more && buf.size() == 0) {
                break;
            }
            number++;
            sha256.update(buf.toByteArray());
            sha256.update((byte) '\n');
            try {
                String line = decode(buf.toByteArray(), number == 1);
                if (line.isBlank()) {
                    continue;
                }
                Parsed parsed = parseLine(line);
                if (!parsed.idGiven()) {
                    generated.set(events.size());
                }
                events.add(parsed.event());
            } catch (IllegalArgumentException | InvalidInputException e) {
                throw new UsageException(source + " line " + number + ": " + e.getMessage()
                        + " Nothing was appended.");
            }
        }
        return new Input(events, generated, sha256.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Strict UTF-8: a malformed sequence is an error, never a replacement character.
     *
     * @throws IllegalArgumentException saying at which byte of the line the bad sequence starts
     */
    private static String decode(byte[] line, boolean first) {
        int off = first && line.length >= 3 && (line[0] & 0xff) == 0xef && (line[1] & 0xff) == 0xbb
                && (line[2] & 0xff) == 0xbf ? 3 : 0; // a byte-order mark
        int len = line.length - off;
        if (len > 0 && line[line.length - 1] == '\r') {
            len--;
        }
        ByteBuffer in = ByteBuffer.wrap(line, off, len);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-8 (a malformed byte sequence at byte " + (in.position()
                    + 1) + " of the line). Convert the input to UTF-8, for example with iconv.");
        }
    }

    static NewEvent parse(String line) {
        return parseLine(line).event();
    }

    /** An input line's event, and whether the line gave its id (otherwise the event carries a random one). */
    private record Parsed(NewEvent event, boolean idGiven) {}

    private static Parsed parseLine(String line) {
        JsonNode node;
        try {
            node = ONE_VALUE.readValue(line);
        } catch (MismatchedInputException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Trailing token")) {
                throw new IllegalArgumentException("more than one JSON value, or something after the object, on"
                        + " one line; put exactly one event object on each line.");
            }
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ").");
        } catch (JsonProcessingException e) {
            if (e.getLocation() != null && e.getLocation().getCharOffset() > 0 && startsWithObject(line)) {
                throw new IllegalArgumentException("not valid JSON after the first value (" + e.getOriginalMessage()
                        + "); put exactly one event object on each line.");
            }
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ").");
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getMessage() + ").");
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
        return new Parsed(new NewEvent(id == null ? UUID.randomUUID().toString() : id,
                timestamp(text(obj, "timestamp")), type, obj.has("data") ? obj.get("data") : null,
                text(obj, "correlation_id"), text(obj, "agent_id")), id != null);
    }

    private static boolean startsWithObject(String line) {
        try {
            Json.mapper().readTree(Json.mapper().createParser(line));
            return true;
        } catch (IOException e) {
            return false;
        }
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
