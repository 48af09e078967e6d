package io.prodigy.storage.cli.events;

import com.fasterxml.jackson.core.JsonGenerator;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * Writes events as JSON without holding them in memory: a JSON array for {@code --json} listings, JSON Lines for
 * export and follow.
 */
final class JsonStreams {

    private JsonStreams() {}

    /** Writes a pretty JSON array element by element; returns how many were written. */
    static long writeArray(Iterator<EventRecord> events, PrintWriter out) {
        long n = 0;
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false); // stdout stays open for the newline below
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            while (events.hasNext()) {
                Json.mapper().writeValue(g, events.next());
                n++;
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write JSON output", e);
        }
        out.println();
        out.flush();
        return n;
    }

    /** One compact JSON object per line. */
    static void writeLine(EventRecord e, PrintWriter out) {
        try {
            out.println(Json.mapper().writeValueAsString(e));
        } catch (IOException ex) {
            throw new UncheckedIOException("could not write JSON output", ex);
        }
    }
}
