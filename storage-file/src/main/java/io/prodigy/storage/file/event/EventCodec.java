package io.prodigy.storage.file.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The event line format (see {@link EventLine}). Appenders serialize their batch before taking the job's lock, so
 * that the critical section only prepends {@code {"sequence":N} to each event and copies its bytes.
 *
 * <p>Lines are written by {@link JsonBytes} straight into bytes (Jackson's generator for any event holding a value
 * it does not write itself) and read with Jackson's streaming parser, timestamps by {@link IsoInstant}: data binding,
 * {@code DateTimeFormatter} and then the generator's per-field work were most of the CPU of appending and scanning.
 * The text is exactly what binding the {@code Body} record with {@link Json#mapper()} produced (same field order and
 * names, nulls omitted, same string escaping, {@code data} serialized as the mapper's provider does), and any value
 * a fast path does not recognise is handed to the mapper, so unusual lines are written and parsed as before.
 */
final class EventCodec {

    private static final byte[] SEQ_PREFIX = "{\"sequence\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MORE = ",\"batch_more\":true".getBytes(StandardCharsets.US_ASCII);

    // Field order on disk: id, timestamp, event_type, correlation_id, agent_id, data.
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializableString EVENT_TYPE = new SerializedString("event_type");
    private static final SerializableString CORRELATION_ID = new SerializedString("correlation_id");
    private static final SerializableString AGENT_ID = new SerializedString("agent_id");
    private static final SerializableString DATA = new SerializedString("data");
    private static final byte[] ID_NAME = quotedName("id");
    private static final byte[] TIMESTAMP_NAME = quotedName("timestamp");
    private static final byte[] EVENT_TYPE_NAME = quotedName("event_type");
    private static final byte[] CORRELATION_ID_NAME = quotedName("correlation_id");
    private static final byte[] AGENT_ID_NAME = quotedName("agent_id");
    private static final byte[] DATA_NAME = quotedName("data");

    // Readers for values in an unusual form (a quoted number, a numeric timestamp...): the mapper's own coercions.
    private static final ObjectReader DATA_READER = Json.mapper().readerFor(JsonNode.class);
    private static final ObjectReader LONG_READER = Json.mapper().readerFor(long.class);
    private static final ObjectReader BOOLEAN_READER = Json.mapper().readerFor(boolean.class);
    private static final ObjectReader STRING_READER = Json.mapper().readerFor(String.class);
    private static final ObjectReader INSTANT_READER = Json.mapper().readerFor(Instant.class);

    private EventCodec() {}

    private static byte[] quotedName(String name) {
        return ('"' + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A batch serialized once, outside any lock: event {@code i} is the JSON object in {@code bytes} from
     * {@code ends[i-1]} (0 for the first) to {@code ends[i]}; its timestamp and type serve the segment index, its id
     * and the id's {@link RecentIds#hash} ({@code idHashes[i]}) idempotent appends. {@code bytes} may run past the
     * last event. {@code events} are the batch's events (the append's immutable copy of them, so
     * never changed): their fields are read from there rather than copied into arrays of their own.
     */
    record EncodedBatch(byte[] bytes, int[] ends, List<NewEvent> events, Instant defaultTimestamp,
            long[] idHashes) {

        /** The events whose {@code keep} flag is set, in order (a batch without the events found already stored). */
        EncodedBatch select(boolean[] keep) {
            int n = 0;
            int bytesKept = 0;
            for (int i = 0; i < size(); i++) {
                if (keep[i]) {
                    n++;
                    bytesKept += ends[i] - start(i);
                }
            }
            byte[] b = new byte[bytesKept];
            int[] e = new int[n];
            NewEvent[] kept = new NewEvent[n];
            long[] hashesKept = new long[n];
            int at = 0;
            int k = 0;
            for (int i = 0; i < size(); i++) {
                if (keep[i]) {
                    int len = ends[i] - start(i);
                    System.arraycopy(bytes, start(i), b, at, len);
                    at += len;
                    e[k] = at;
                    kept[k] = events.get(i);
                    hashesKept[k] = idHashes[i];
                    k++;
                }
            }
            return new EncodedBatch(b, e, List.of(kept), defaultTimestamp, hashesKept);
        }

        /** Event {@code i}'s timestamp, the store's clock when the event has none. */
        Instant timestamp(int i) {
            Instant t = events.get(i).timestamp();
            return t != null ? t : defaultTimestamp;
        }

        String eventType(int i) {
            return events.get(i).eventType();
        }

        String id(int i) {
            return events.get(i).id();
        }

        int size() {
            return ends.length;
        }

        int start(int i) {
            return i == 0 ? 0 : ends[i - 1];
        }

        /** An upper bound of the bytes this batch takes as lines (prefixes with up to 19-digit sequences). */
        long lineBytes() {
            return (size() == 0 ? 0 : ends[size() - 1]) + (long) size() * (SEQ_PREFIX.length + 19 + MORE.length + 2);
        }
    }

    /**
     * Serializes a whole batch into one array (no per-event arrays or copies): each event by {@link JsonBytes} when
     * it recognises all of the event's values, otherwise by the mapper's generator (same bytes either way). The
     * sink and generator are this thread's, kept between batches ({@link Encoder}); only the array is new, as it is
     * handed to the batch. (Lending one array per thread instead, reused batch after batch, saved its allocation on
     * tmpfs but cost more CPU per append on a real disk, measured A/B: see docs/perf.md, issue 16, fileenc2.)
     */
    static EncodedBatch encodeAll(List<NewEvent> events, Instant defaultTimestamp) {
        int n = events.size();
        int[] ends = new int[n];
        long[] hashes = new long[n];
        Encoder enc = ENCODERS.get();
        JsonBytes out = enc.out;
        // Sized from this thread's last batch, so that the array rarely grows.
        out.bytes = new byte[(int) Math.min(Math.max((long) n * (enc.eventBytes + 16), 64), 8L * 1024 * 1024)];
        out.size = 0;
        int i = 0;
        try {
            for (; i < n; i++) {
                NewEvent e = events.get(i);
                Instant stamp = e.timestamp() != null ? e.timestamp() : defaultTimestamp;
                int start = out.size;
                out.write('{');
                out.write(ID_NAME);
                int idFrom = out.size + 1;
                boolean idVerbatim = JsonBytes.SAME_AS_MAPPER && out.writeString(e.id());
                if (writeFields(out, false, stamp, e.eventType(), e.correlationId(), e.agentId(), e.data(),
                        enc.stamp)) {
                    // An id written character for character: its bytes are its characters (no second pass over it).
                    hashes[i] = idVerbatim ? RecentIds.hashAscii(out.bytes, idFrom, e.id().length())
                            : RecentIds.hash(e.id());
                } else {
                    hashes[i] = RecentIds.hash(e.id());
                    out.size = start; // a value JsonBytes does not write itself: the whole event by the generator
                    writeObject(enc.generator(), Json.mapper().getSerializerProviderInstance(), e.id(), stamp,
                            e.eventType(), e.correlationId(), e.agentId(), e.data(), enc.stamp);
                    enc.generator().flush();
                }
                ends[i] = out.size;
                if (i == 0) {
                    out.reserve(Math.min((long) ends[0] * n, 8L * 1024 * 1024)); // a first event larger than guessed
                }
            }
        } catch (IOException | RuntimeException ex) {
            ENCODERS.remove(); // the generator may be inside an object now: the next batch gets a new one
            if (ex instanceof RuntimeException re) {
                throw re;
            }
            String id = events.get(Math.min(i, n - 1)).id();
            String why = ex instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : ex.getMessage();
            throw new InvalidInputException("Event '" + id + "' cannot be serialized as JSON: " + why, ex);
        }
        byte[] bytes = out.bytes;
        enc.eventBytes = out.size / n;
        out.bytes = NO_BYTES; // handed over: the next batch must not write into it
        return new EncodedBatch(bytes, ends, events, defaultTimestamp, hashes);
    }

    /** The line of a stored event as written by a rewrite (purge, retention, archive): one committed line. */
    static byte[] line(EventLine e) {
        JsonBytes out = new JsonBytes(256);
        StampText stamp = new StampText();
        if (!writeObject(out, e.id(), e.timestamp(), e.eventType(), e.correlationId(), e.agentId(), e.data(),
                stamp)) {
            out.size = 0;
            try (JsonGenerator gen = Json.mapper().createGenerator(out)) {
                writeObject(gen, Json.mapper().getSerializerProviderInstance(), e.id(), e.timestamp(),
                        e.eventType(), e.correlationId(), e.agentId(), e.data(), stamp);
            } catch (IOException ex) {
                throw new IllegalStateException("cannot re-serialize stored event " + e.id(), ex);
            }
        }
        GrowableBuffer line = new GrowableBuffer(out.size + SEQ_PREFIX.length + 21);
        putLine(line, e.sequence(), false, out.bytes, 0, out.size);
        byte[] bytes = new byte[line.size()];
        line.asByteBuffer().get(bytes);
        return bytes;
    }

    /**
     * One event as a JSON object, fields in the order of the format, nulls omitted, written by {@link JsonBytes}:
     * the same bytes as {@link #writeObject(JsonGenerator, SerializerProvider, String, Instant, String, String,
     * String, JsonNode, StampText)}.
     *
     * @return {@code false} if {@code data} holds a value {@link JsonBytes} leaves to the generator (or it does not
     *         match the mapper): what was written is then partial
     */
    static boolean writeObject(JsonBytes out, String id, Instant timestamp, String eventType, String correlationId,
            String agentId, JsonNode data, StampText stamp) {
        if (!JsonBytes.SAME_AS_MAPPER) {
            return false;
        }
        out.write('{');
        return writeFields(out, field(out, ID_NAME, id, true), timestamp, eventType, correlationId, agentId, data,
                stamp);
    }

    /** The fields after the id and the closing brace ({@code first}: nothing was written after the '{'). */
    private static boolean writeFields(JsonBytes out, boolean first, Instant timestamp, String eventType,
            String correlationId, String agentId, JsonNode data, StampText stamp) {
        if (!JsonBytes.SAME_AS_MAPPER) {
            return false;
        }
        if (timestamp != null) {
            first = name(out, TIMESTAMP_NAME, first);
            if (stamp.format(timestamp) >= 0) {
                out.write(stamp.quoted, 0, stamp.length + 2); // digits, '-', ':', 'T', '.', 'Z': nothing to escape
            } else {
                out.writeString(DateTimeFormatter.ISO_INSTANT.format(timestamp)); // a year outside 0..9999
            }
        }
        first = field(out, EVENT_TYPE_NAME, eventType, first);
        first = field(out, CORRELATION_ID_NAME, correlationId, first);
        first = field(out, AGENT_ID_NAME, agentId, first);
        if (data != null) {
            name(out, DATA_NAME, first);
            if (!out.writeNode(data)) {
                return false;
            }
        }
        out.write('}');
        return true;
    }

    /** Writes {@code "name":"value"} (with a leading comma unless first) if the value is not null. */
    private static boolean field(JsonBytes out, byte[] quotedName, String value, boolean first) {
        if (value == null) {
            return first;
        }
        name(out, quotedName, first);
        out.writeString(value);
        return false;
    }

    private static boolean name(JsonBytes out, byte[] quotedName, boolean first) {
        if (!first) {
            out.write(',');
        }
        out.write(quotedName);
        return false;
    }

    /** One event as a JSON object, fields in the order of the format, nulls omitted. */
    private static void writeObject(JsonGenerator gen, SerializerProvider serializers, String id, Instant timestamp,
            String eventType, String correlationId, String agentId, JsonNode data, StampText stamp)
            throws IOException {
        gen.writeStartObject();
        writeString(gen, ID, id);
        if (timestamp != null) {
            gen.writeFieldName(TIMESTAMP);
            int len = stamp.format(timestamp);
            if (len >= 0) {
                gen.writeString(stamp.text, 0, len);
            } else {
                gen.writeString(DateTimeFormatter.ISO_INSTANT.format(timestamp)); // a year outside 0..9999
            }
        }
        writeString(gen, EVENT_TYPE, eventType);
        writeString(gen, CORRELATION_ID, correlationId);
        writeString(gen, AGENT_ID, agentId);
        if (data != null) {
            gen.writeFieldName(DATA);
            data.serialize(gen, serializers); // what the mapper's serializer for a JsonNode value does
        }
        gen.writeEndObject();
    }

    private static void writeString(JsonGenerator gen, SerializableString name, String value) throws IOException {
        if (value != null) {
            gen.writeFieldName(name);
            gen.writeString(value);
        }
    }

    /** Appends event {@code i} of {@code batch} to {@code out} as one line with the given sequence. */
    static void writeLine(GrowableBuffer out, long sequence, boolean more, EncodedBatch batch, int i) {
        int start = batch.start(i);
        putLine(out, sequence, more, batch.bytes(), start, batch.ends()[i] - start);
    }

    /** {@code {"sequence":N[,"batch_more":true],} + the object's fields (it starts with its own '{') + '\n'. */
    private static void putLine(GrowableBuffer out, long sequence, boolean more, byte[] object, int off, int len) {
        out.put(SEQ_PREFIX);
        out.putDecimal(sequence);
        if (more) {
            out.put(MORE);
        }
        out.put((byte) ',');
        out.put(object, off + 1, len - 1);
        out.put((byte) '\n');
    }

    /**
     * Parses a line (without its {@code '\n'}).
     *
     * @return the line, or {@code null} if it is not a valid event line
     */
    static EventLine parse(byte[] buf, int off, int len) {
        if (len == 0 || buf[off] != '{') {
            return null;
        }
        try (JsonParser p = Json.mapper().createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            long sequence = 0;
            boolean batchMore = false;
            String id = null;
            Instant timestamp = null;
            String eventType = null;
            JsonNode data = null;
            String correlationId = null;
            String agentId = null;
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "sequence" -> sequence = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : coercedLong(p);
                    case "batch_more" -> batchMore = t == JsonToken.VALUE_TRUE
                            || t != JsonToken.VALUE_FALSE && coercedBoolean(p);
                    case "id" -> id = string(p, t);
                    case "timestamp" -> timestamp = instant(p, t);
                    case "event_type" -> eventType = string(p, t);
                    case "correlation_id" -> correlationId = string(p, t);
                    case "agent_id" -> agentId = string(p, t);
                    case "data" -> data = DATA_READER.readValue(p);
                    default -> p.skipChildren(); // a newer writer's field
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                return null;
            }
            EventLine line = new EventLine(sequence, batchMore, id, timestamp, eventType, data, correlationId,
                    agentId);
            return line.isValid() ? line : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long coercedLong(JsonParser p) throws IOException {
        Long value = LONG_READER.readValue(p);
        return value == null ? 0 : value; // a null primitive binds to 0
    }

    private static boolean coercedBoolean(JsonParser p) throws IOException {
        Boolean value = BOOLEAN_READER.readValue(p);
        return Boolean.TRUE.equals(value);
    }

    private static String string(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_STRING ? p.getText() : STRING_READER.readValue(p);
    }

    private static Instant instant(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            Instant fast = IsoInstant.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (fast != null) {
                return fast;
            }
        }
        return INSTANT_READER.readValue(p);
    }

    /**
     * A timestamp's text, kept for the next event: the events of a batch stamped by the store share one timestamp,
     * so it is formatted once per batch, not once per event. An {@link Instant} is immutable, so an equal one has
     * the same text.
     */
    static final class StampText {
        final char[] text = new char[IsoInstant.MAX_LENGTH];
        /** The text between double quotes, as bytes (it is ASCII and needs no escape). */
        final byte[] quoted = new byte[IsoInstant.MAX_LENGTH + 2];
        int length = -1;
        private Instant of;

        /** Formats {@code t} into {@link #text} and {@link #quoted}; returns its length, or -1 (see IsoInstant). */
        int format(Instant t) {
            if (!t.equals(of)) {
                length = IsoInstant.format(t, text);
                of = t;
                if (length >= 0) {
                    quoted[0] = '"';
                    for (int i = 0; i < length; i++) {
                        quoted[i + 1] = (byte) text[i];
                    }
                    quoted[length + 1] = '"';
                }
            }
            return length;
        }
    }

    private static final byte[] NO_BYTES = new byte[0];
    private static final ThreadLocal<Encoder> ENCODERS = ThreadLocal.withInitial(Encoder::new);

    /**
     * A thread's sink and generator, reused by every batch the thread encodes: creating and closing a generator per
     * batch was about a tenth of the CPU of an append. The generator is created when an event first needs it, and
     * never closed; one left inside an object by a failure is dropped with its encoder.
     */
    private static final class Encoder {
        final JsonBytes out = new JsonBytes(64);
        final StampText stamp = new StampText();
        /** Bytes per event of this thread's last batch: the next batch's array is sized from it. */
        int eventBytes = 176;
        private JsonGenerator gen;

        JsonGenerator generator() {
            if (gen == null) {
                try {
                    gen = Json.mapper().createGenerator(out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                gen.setRootValueSeparator(null); // each object ends exactly where the next begins
            }
            return gen;
        }
    }
}
