package io.prodigy.storage.migrate.copy;

/**
 * Receives {@link CopyProgress} updates, on the copying thread: after every record of the small types and after
 * every batch of events. Keep it fast; an exception thrown by it stops the copy (which can be resumed).
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = p -> { };

    void onProgress(CopyProgress progress);
}
