package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.json.Json;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reading the original tool's files: gzip sniffed by magic bytes, never by name; JSON with located errors. */
final class SourceFiles {

    private SourceFiles() {}

    /**
     * Opens {@code file} for reading, decompressing it if it starts with the gzip magic {@code 1f 8b}. Rotated event
     * files are named {@code .jsonl.gz} but are plain text (docs/migration.md), and a real gzip file may have any name.
     */
    static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        try {
            in.mark(2);
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            if (b1 == 0x1f && b2 == 0x8b) {
                return new GZIPInputStream(in, 64 * 1024);
            }
            return in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 64 * 1024);
    }

    /** Parses a whole-file JSON document; the message of a failure names the line and column. */
    static JsonNode readJson(Path file) throws IOException, InvalidFile {
        try (InputStream in = open(file)) {
            JsonNode node = Json.mapper().readTree(in);
            if (node == null || node.isMissingNode()) {
                throw new InvalidFile("the file is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidFile("not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr()));
        }
    }

    /** Regular files in {@code dir}, sorted by name; empty if {@code dir} is not a directory. */
    static List<Path> files(Path dir) {
        return list(dir, false);
    }

    /** Sub-directories of {@code dir}, sorted by name; empty if {@code dir} is not a directory. */
    static List<Path> dirs(Path dir) {
        return list(dir, true);
    }

    private static List<Path> list(Path dir, boolean directories) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (directories ? Files.isDirectory(p) : Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage()
                    + ". Check that the directory is readable.", e);
        }
        out.sort(null);
        return out;
    }

    /** A file that cannot be imported; the message says why (for the report). */
    static final class InvalidFile extends Exception {
        InvalidFile(String reason) {
            super(reason, null, false, false);
        }
    }
}
