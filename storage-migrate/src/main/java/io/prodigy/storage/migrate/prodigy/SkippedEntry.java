package io.prodigy.storage.migrate.prodigy;

import java.nio.file.Path;

/**
 * Something the import read but did not import.
 *
 * @param file the file, relative to the imported base directory
 * @param line 1-based line number for a line of an event file; 0 when the whole file (or one record in it) is meant
 */
public record SkippedEntry(SourceKind kind, Path file, long line, String reason) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + reason;
    }
}
