package io.prodigy.storage.bench.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events every benchmark appends: realistic fields, unique ids, and a payload padded so that one stored event,
 * as one JSON line in the file backend's format, is {@value #EVENT_BYTES} bytes including the newline (a line inside
 * a batch carries an 18-byte batch marker on top). The raw baselines write exactly these bytes.
 */
public final class EventFixtures {

    /** Size of one stored event line, newline included. */
    public static final int EVENT_BYTES = 256;

    /** The job every append benchmark writes to, so concurrent appenders share one log (and its fsyncs). */
    public static final JobRef JOB = JobRef.of("bench-repo", "bench-job");

    /** Event types used in the data sets, covering each {@link io.prodigy.storage.event.EventOutcome}. */
    public static final List<String> TYPES = List.of("agent_started", "agent_completed", "agent_failed",
            "map_progress", "item_queued", "reduce_completed", "checkpoint_saved", "agent_retrying");

    /** Type of the events the append benchmarks write. */
    public static final String APPEND_TYPE = "agent_completed";

    /** A timestamp with microseconds, the precision the system clock gives on Linux; used for sizing. */
    private static final Instant SAMPLE_TIME = Instant.parse("2026-11-21T23:42:22.123456Z");

    /** Sequence used for sizing: seven digits, as in a million-event job. */
    private static final long SAMPLE_SEQUENCE = 1_000_000;

    private EventFixtures() {}

    /**
     * Makes unique events of one writer. Not thread-safe: give each thread its own, with a distinct tag.
     */
    public static final class EventFactory {
        private final String idPrefix;
        private final ObjectNode data;
        /** The next id's Latin-1 bytes: the prefix, then the counter as twelve digits, counted up in place. */
        private final byte[] nextId;

        /** @param tag distinguishes this writer's ids from every other writer's, at most 8 characters */
        public EventFactory(String tag) {
            this.idPrefix = "e-" + tag + "-";
            this.data = paddedPayload(idPrefix);
            this.nextId = id(idPrefix, 0).getBytes(StandardCharsets.ISO_8859_1);
            if (!new String(nextId, StandardCharsets.ISO_8859_1).equals(id(idPrefix, 0))) {
                throw new IllegalArgumentException("Event id tag '" + tag + "' is not Latin-1 text");
            }
        }

        /** The next event, stamped by the store; always of one type, so every event has the same size. */
        public NewEvent next() {
            return next(null, APPEND_TYPE);
        }

        /** The next event with an explicit timestamp and type (for data sets). */
        public NewEvent next(Instant timestamp, String type) {
            return new NewEvent(nextId(), timestamp, type, data, "corr-0001", "agent-07");
        }

        /**
         * The next id, equal to {@code id(idPrefix, n)} for the n-th call (modulo 10^12). The id is made inside measured
         * operations, once per event: its digits are counted up in place (usually one byte changes) and the string
         * is one copy of them, where dividing for twelve digits, building characters, compressing them to Latin-1
         * and concatenating cost more than the backend's JSON encoding of the whole event.
         */
        private String nextId() {
            String id = new String(nextId, StandardCharsets.ISO_8859_1);
            for (int i = nextId.length - 1; i >= nextId.length - 12; i--) {
                if (nextId[i] != '9') {
                    nextId[i]++;
                    break;
                }
                nextId[i] = '0';
            }
            return id;
        }

        /** The next {@code n} events. */
        public List<NewEvent> batch(int n) {
            List<NewEvent> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(next());
            }
            return list;
        }
    }

    /**
     * The stored line of {@code event} at {@code sequence}, in the file backend's line format (docs/file-layout.md):
     * one compact JSON object, sequence first, the job implied by the directory, {@code "batch_more":true} on every
     * line of a batch but the last, and a newline. Timestamps default to {@code at}.
     */
    public static byte[] line(NewEvent event, long sequence, Instant at, boolean batchMore) {
        ObjectNode line = Json.nodes().objectNode();
        line.put("sequence", sequence);
        if (batchMore) {
            line.put("batch_more", true);
        }
        line.put("id", event.id());
        line.put("timestamp", (event.timestamp() != null ? event.timestamp() : at).toString());
        line.put("event_type", event.eventType());
        if (event.correlationId() != null) {
            line.put("correlation_id", event.correlationId());
        }
        if (event.agentId() != null) {
            line.put("agent_id", event.agentId());
        }
        line.set("data", event.data());
        try {
            byte[] json = Json.mapper().writeValueAsBytes(line);
            byte[] out = new byte[json.length + 1];
            System.arraycopy(json, 0, out, 0, json.length);
            out[json.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code n} stored lines of fresh events (a batch, marked as the file backend marks one) in one direct buffer, as
     * a raw writer would hand them to the OS.
     */
    public static ByteBuffer rawBatch(EventFactory events, int n) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(n * (EVENT_BYTES + 32));
        for (int i = 0; i < n; i++) {
            bytes.writeBytes(line(events.next(), SAMPLE_SEQUENCE + i, SAMPLE_TIME, i < n - 1));
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(bytes.size());
        buf.put(bytes.toByteArray());
        return buf.flip();
    }

    /** Size of the stored line of a factory's event at a seven-digit sequence. */
    public static int lineBytes(NewEvent event) {
        return line(event, SAMPLE_SEQUENCE, SAMPLE_TIME, false).length;
    }

    /**
     * {@code prefix} followed by {@code n} as twelve zero-padded digits. Hand-rolled because it runs inside measured
     * operations, where {@code String.format} would cost more than an in-memory append.
     */
    static String id(String prefix, long n) {
        char[] digits = new char[12];
        long v = n;
        for (int i = digits.length - 1; i >= 0; i--) {
            digits[i] = (char) ('0' + (v % 10));
            v /= 10;
        }
        return prefix + new String(digits);
    }

    /** A payload whose note is padded so the stored line of an event with ids like {@code idPrefix} is EVENT_BYTES. */
    private static ObjectNode paddedPayload(String idPrefix) {
        ObjectNode data = Json.nodes().objectNode();
        data.put("step", 42);
        data.put("item", "item-000123");
        data.put("note", "");
        NewEvent probe = new NewEvent(id(idPrefix, 0), null, APPEND_TYPE, data,
                "corr-0001", "agent-07");
        int missing = EVENT_BYTES - lineBytes(probe);
        if (missing < 0) {
            throw new IllegalStateException("Event fixture is already " + lineBytes(probe) + " bytes; shorten it");
        }
        data.put("note", "x".repeat(missing));
        return data;
    }
}
