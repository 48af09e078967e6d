package io.prodigy.storage.file.io;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.error.StorageFullException;
import io.prodigy.storage.error.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns {@link IOException}s into the API's error taxonomy, always naming the path and what to do, so that callers
 * never see a bare {@code IOException} and a full disk or a permission problem is recognisable as such.
 */
public final class IoErrors {

    private IoErrors() {}

    /**
     * @param action what was being done, as a gerund phrase ("writing the session file")
     * @param path   the file or directory involved
     */
    public static StorageException translate(String action, Path path, IOException e) {
        if (isDiskFull(e)) {
            return new StorageFullException("No space left on the device while " + action + " '" + path
                    + "'. Free space on that volume (run a retention cleanup, purge processed DLQ items) or move"
                    + " storage.backend_config.base_dir to a larger volume. Nothing already stored was changed.", e);
        }
        if (e instanceof AccessDeniedException || reasonContains(e, "permission denied")
                || reasonContains(e, "read-only file system")) {
            return new InvalidInputException("Permission denied while " + action + " '" + path
                    + "'. Make the storage directory writable by this user (for example 'chmod u+rwx "
                    + directoryOf(path) + "') or set storage.backend_config.base_dir to a writable directory.", e);
        }
        if (reasonContains(e, "too many levels of symbolic links")) {
            return NoLinks.linkFound(path);
        }
        if (reasonContains(e, "is a directory")) {
            return NoLinks.notAFile(path, NoLinks.Kind.DIRECTORY);
        }
        if (e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException
                || reasonContains(e, "not a directory")) {
            return new InvalidInputException("A file stands where a directory is expected while " + action + " '"
                    + path + "' (" + e.getMessage() + "). Move that file out of the storage directory; the backend"
                    + " needs a directory there.", e);
        }
        return new StorageUnavailableException("I/O error while " + action + " '" + path + "': " + e
                + ". Check the disk and the file system; the operation may be retried.", e);
    }

    /** Whether the error (or a cause) reports a full disk or an exceeded quota. */
    public static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null) {
                String lower = m.toLowerCase(Locale.ROOT);
                if (lower.contains("no space left") || lower.contains("disk quota exceeded")
                        || lower.contains("not enough space")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean reasonContains(IOException e, String text) {
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        return reason != null && reason.toLowerCase(Locale.ROOT).contains(text);
    }

    private static Path directoryOf(Path path) {
        Path parent = path.getParent();
        return parent == null ? path : parent;
    }
}
