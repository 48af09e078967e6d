package io.prodigy.storage.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The query baseline: a raw Jackson parse of JSON lines, one {@link JsonNode} tree per line, with no index, no
 * records and no filtering beyond what a query needs. It reads the same files the file backend wrote, in order, so it
 * is the cost of "just parse the log" that the backend's query path is compared with.
 *
 * @param files         the event files of one job, oldest first
 * @param timestampField name of the timestamp field in a line
 * @param typeField      name of the event-type field
 * @param sequenceField  name of the sequence field
 */
public record JsonlScanner(List<Path> files, String timestampField, String typeField, String sequenceField) {

    private static final ObjectReader TREE_READER = Json.mapper().readerFor(JsonNode.class);

    public JsonlScanner {
        files = List.copyOf(files);
    }

    /** Field names of the project's event line format (snake_case {@code EventRecord}). */
    public static JsonlScanner of(List<Path> files) {
        return new JsonlScanner(files, "timestamp", "event_type", "sequence");
    }

    /** Parses every line and hands the tree to {@code sink}; returns how many lines were parsed. */
    public long scanAll(Consumer<JsonNode> sink) throws IOException {
        long n = 0;
        for (Path file : files) {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isEmpty()) {
                        sink.accept(TREE_READER.readTree(line));
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Parses every line and passes on those with {@code after < timestamp < before}; returns how many matched. */
    public long scanTimeRange(Instant after, Instant before, Consumer<JsonNode> sink) throws IOException {
        long[] matched = {0};
        scanAll(node -> {
            Instant t = Instant.parse(node.get(timestampField).asText());
            if (t.isAfter(after) && t.isBefore(before)) {
                sink.accept(node);
                matched[0]++;
            }
        });
        return matched[0];
    }

    /** The job's {@link EventStats}, from a full parse. */
    public EventStats aggregate(JobRef job) throws IOException {
        EventStats.Builder b = EventStats.builder(job);
        scanAll(node -> b.add(node.get(typeField).asText(), Instant.parse(node.get(timestampField).asText()),
                node.get(sequenceField).asLong(), 1));
        return b.build();
    }

    /** Total size of the files, in bytes. */
    public long totalBytes() throws IOException {
        long sum = 0;
        for (Path f : files) {
            sum += Files.size(f);
        }
        return sum;
    }
}
