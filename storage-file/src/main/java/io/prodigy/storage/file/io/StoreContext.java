package io.prodigy.storage.file.io;

import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.file.layout.StorageLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every sub-store of one open file store shares: the layout, the clock, whether OS file locks are used, and the
 * open/closed state. Also the one way to run a read-check-write under a directory's guard.
 */
public final class StoreContext {

    /** A body that may throw {@link IOException}. */
    @FunctionalInterface
    public interface IoSupplier<T> {
        T get() throws IOException;
    }

    private final StorageLayout layout;
    private final Clock clock;
    private final boolean osLocks;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Guards of the store-wide record directories, taken on every session, workflow and lock write: their descriptors
     * stay open between writes (saving an open, a stat and a close per write) until the store is closed. Guards of
     * per-job and per-scope directories, which are many, are opened per write.
     */
    private final Map<Path, GuardFiles.Handle> hotGuards;

    public StoreContext(StorageLayout layout, Clock clock, boolean osLocks) {
        this.layout = layout;
        this.clock = clock;
        this.osLocks = osLocks;
        Map<Path, GuardFiles.Handle> hot = new HashMap<>();
        for (Path dir : List.of(layout.sessionsDir(), layout.workflowsDir(), layout.locksDir())) {
            hot.put(dir, GuardFiles.handle(StorageLayout.guardOf(dir)));
        }
        this.hotGuards = Map.copyOf(hot);
    }

    public StorageLayout layout() {
        return layout;
    }

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /** Whether exclusion extends to other processes ({@code enable_file_locks}). */
    public boolean osLocks() {
        return osLocks;
    }

    /** Marks the store closed; returns whether it was open. */
    public boolean markClosed() {
        boolean wasOpen = closed.compareAndSet(false, true);
        if (wasOpen) {
            // Another open store on the same directory in this JVM simply reopens the descriptor on its next write.
            hotGuards.values().forEach(GuardFiles.Handle::closeIfIdle);
        }
        return wasOpen;
    }

    /** @throws IllegalStateException once the store is closed */
    public void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("The file store at '" + layout.base() + "' is closed. Open a new one.");
        }
    }

    /**
     * Runs {@code body} holding the guard of {@code dir} (created if missing), so it is atomic against every other
     * guarded body on the same directory in any thread or process.
     *
     * @param what what is being done, for error messages ("saving session 'x'")
     */
    @SuppressWarnings("try") // the guard is held for the body's duration
    public <T> T guarded(Path dir, String what, IoSupplier<T> body) {
        checkOpen();
        JsonFiles.ensureDirectory(dir); // also checks dir for links: the body may use the *InCheckedDir methods
        GuardFiles.Handle hot = hotGuards.get(dir);
        try (GuardFiles.Guard ignored = hot != null ? hot.acquire(osLocks, true)
                : GuardFiles.acquire(StorageLayout.guardOf(dir), osLocks, false)) {
            return body.get();
        } catch (IOException e) {
            throw IoErrors.translate(what + " in", dir, e);
        } catch (StorageException e) {
            throw e;
        }
    }
}
