package io.prodigy.storage.file.layout;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.file.io.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code layout.json} at the root of the store: {@code {"layout_version": 1, ...}}. Checked on every open so that a
 * store written by a newer, incompatible version is refused instead of misread.
 */
public final class LayoutMarker {

    /** The layout this code writes and reads. */
    public static final int CURRENT_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(LayoutMarker.class);

    /** The marker's content. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Content(int layoutVersion, Instant createdAt, String createdBy) {}

    private LayoutMarker() {}

    /**
     * Reads the marker, creating it if the store has none (a new store, or a directory of the original tool, whose
     * layout this one extends).
     *
     * @return the layout version in force
     * @throws CorruptionException if the marker is unreadable or names a newer layout
     */
    public static int checkOrCreate(StorageLayout layout, Instant now) {
        Path file = layout.layoutMarker();
        Optional<Content> existing = JsonFiles.read(file, Content.class, "layout marker");
        if (existing.isEmpty() && Files.exists(file)) {
            // Another process created it (by an atomic rename) after our read: read what it wrote.
            existing = JsonFiles.read(file, Content.class, "layout marker");
        }
        if (existing.isEmpty()) {
            if (Files.exists(file)) {
                throw new CorruptionException("The layout marker '" + file + "' is empty. Restore it or write "
                        + "{\"layout_version\": " + CURRENT_VERSION + "} into it if this store was created by this"
                        + " version.");
            }
            JsonFiles.write(file, new Content(CURRENT_VERSION, now, "prodigy-storage file backend"), "layout marker");
            LOG.debug("Created layout marker {}", Redaction.redactUrl(file.toString()));
            return CURRENT_VERSION;
        }
        int version = existing.get().layoutVersion();
        if (version > CURRENT_VERSION) {
            throw new CorruptionException("The store at '" + layout.base() + "' uses file layout version " + version
                    + " (from " + file + "), but this prodigy-storage only understands layout version "
                    + CURRENT_VERSION + ". Upgrade prodigy-storage to the version that wrote it, or point"
                    + " storage.backend_config.base_dir at another directory.");
        }
        if (version < 1) {
            throw new CorruptionException("The layout marker '" + file + "' names layout version " + version
                    + ", which never existed. Restore the file or set it to {\"layout_version\": "
                    + CURRENT_VERSION + "}.");
        }
        return version;
    }
}
