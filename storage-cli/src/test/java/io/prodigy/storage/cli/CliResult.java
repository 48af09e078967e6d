package io.prodigy.storage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/** One command's exit code and captured output. */
public record CliResult(int exitCode, String out, String err) {

    /** Stdout parsed as the one JSON document {@code --json} promises (fails if it is not exactly one). */
    public JsonNode json() {
        try {
            var parser = Json.mapper().createParser(out);
            JsonNode node = Json.mapper().readTree(parser);
            if (parser.nextToken() != null) {
                throw new AssertionError("stdout holds more than one JSON document:\n" + out);
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("stdout is not JSON:\n" + out + "\nstderr:\n" + err, e);
        }
    }

    /** Stdout as JSON Lines. */
    public List<JsonNode> jsonLines() {
        return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).map(l -> {
            try {
                return Json.mapper().readTree(l);
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + l, e);
            }
        }).toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
