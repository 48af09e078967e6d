package io.prodigy.storage.file.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The event line format (see {@link EventLine}). Appenders serialize each event's body (everything but the
 * sequence) before taking the job's lock, so that the critical section only prepends {@code {"sequence":N,}}.
 */
final class EventCodec {

    private static final ObjectWriter BODY_WRITER = Json.mapper().writerFor(Body.class);
    private static final ObjectReader LINE_READER = Json.mapper().readerFor(EventLine.class);
    private static final byte[] SEQ_PREFIX = "{\"sequence\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MORE = ",\"batch_more\":true".getBytes(StandardCharsets.US_ASCII);

    /** Field order on disk: id, timestamp, event_type, correlation_id, agent_id, data. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Body(String id, Instant timestamp, String eventType, String correlationId, String agentId,
            JsonNode data) {}

    private EventCodec() {}

    /** An event ready to be written: its serialized body ({@code "id":...}} without the opening brace). */
    record EncodedEvent(String id, Instant timestamp, String eventType, byte[] body) {}

    /**
     * Serializes a whole batch with one generator (one serializer setup for all events, which matters for large
     * batches), then splits the output into per-event bodies.
     */
    static List<EncodedEvent> encodeAll(List<NewEvent> events, Instant defaultTimestamp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 192);
        int[] ends = new int[events.size()];
        Instant[] stamps = new Instant[events.size()];
        try (JsonGenerator gen = Json.mapper().getFactory().createGenerator(out)) {
            gen.setRootValueSeparator(null); // each body ends exactly where the next begins
            for (int i = 0; i < events.size(); i++) {
                NewEvent e = events.get(i);
                stamps[i] = e.timestamp() != null ? e.timestamp() : defaultTimestamp;
                BODY_WRITER.writeValue(gen, new Body(e.id(), stamps[i], e.eventType(), e.correlationId(),
                        e.agentId(), e.data()));
                gen.flush();
                ends[i] = out.size();
            }
        } catch (IOException ex) {
            // Fall back to one event at a time, which names the event that cannot be serialized.
            List<EncodedEvent> one = new ArrayList<>(events.size());
            for (NewEvent e : events) {
                one.add(encode(e, defaultTimestamp));
            }
            return one;
        }
        byte[] all = out.toByteArray();
        List<EncodedEvent> encoded = new ArrayList<>(events.size());
        int start = 0;
        for (int i = 0; i < events.size(); i++) {
            while (start < ends[i] && all[start] != '{') {
                start++; // tolerate a separator, should a Jackson version insert one
            }
            // Drop each object's opening '{'; the line prefix supplies it.
            byte[] body = Arrays.copyOfRange(all, start + 1, ends[i]);
            NewEvent e = events.get(i);
            encoded.add(new EncodedEvent(e.id(), stamps[i], e.eventType(), body));
            start = ends[i];
        }
        return encoded;
    }

    static EncodedEvent encode(NewEvent e, Instant defaultTimestamp) {
        Instant at = e.timestamp() != null ? e.timestamp() : defaultTimestamp;
        try {
            byte[] json = BODY_WRITER.writeValueAsBytes(
                    new Body(e.id(), at, e.eventType(), e.correlationId(), e.agentId(), e.data()));
            // Drop the opening '{'; the line prefix supplies it.
            byte[] body = new byte[json.length - 1];
            System.arraycopy(json, 1, body, 0, body.length);
            return new EncodedEvent(e.id(), at, e.eventType(), body);
        } catch (JsonProcessingException ex) {
            throw new io.prodigy.storage.error.InvalidInputException(
                    "Event '" + e.id() + "' cannot be serialized as JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /** The line of a stored event as written by a rewrite (purge, retention, archive): one committed line. */
    static byte[] line(EventLine e) {
        EncodedEvent enc;
        try {
            byte[] json = BODY_WRITER.writeValueAsBytes(new Body(e.id(), e.timestamp(), e.eventType(),
                    e.correlationId(), e.agentId(), e.data()));
            byte[] body = new byte[json.length - 1];
            System.arraycopy(json, 1, body, 0, body.length);
            enc = new EncodedEvent(e.id(), e.timestamp(), e.eventType(), body);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot re-serialize stored event " + e.id(), ex);
        }
        GrowableBuffer out = new GrowableBuffer(lineLength(e.sequence(), false, enc));
        writeLine(out, e.sequence(), false, enc);
        byte[] bytes = new byte[out.size()];
        out.asByteBuffer().get(bytes);
        return bytes;
    }

    /** Appends one line to {@code out}. */
    static void writeLine(GrowableBuffer out, long sequence, boolean more, EncodedEvent e) {
        out.put(SEQ_PREFIX);
        out.putAscii(Long.toString(sequence));
        if (more) {
            out.put(MORE);
        }
        out.put((byte) ',');
        out.put(e.body());
        out.put((byte) '\n');
    }

    /** Length of the line {@link #writeLine} produces. */
    static int lineLength(long sequence, boolean more, EncodedEvent e) {
        return SEQ_PREFIX.length + Long.toString(sequence).length() + (more ? MORE.length : 0) + 1 + e.body().length
                + 1;
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
        try {
            EventLine line = LINE_READER.readValue(buf, off, len);
            return line != null && line.isValid() ? line : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
