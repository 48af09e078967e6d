package io.prodigy.storage.bench.append;

/**
 * One thing the append benchmark writes to: a backend of the project or a baseline. Implementations are opened once
 * per trial and shared by all benchmark threads; each thread gets its own {@link Appender}.
 */
interface AppendTarget extends AutoCloseable {

    /** A writer for one benchmark thread, appending {@code batch} events per call. */
    Appender appender(int threadIndex, int batch);

    /**
     * Checks, after the trial, that every acknowledged event is stored (so a fast but lossy target cannot win), and
     * records what is worth recording (bytes per event, fsyncs shared).
     *
     * @param acknowledged events whose append returned
     * @throws IllegalStateException if the store holds a different number of events
     */
    void verify(long acknowledged) throws Exception;

    /** Writes one batch durably (for the memory backend: in memory). */
    interface Appender {
        /** Appends one batch; returns the number of events appended. */
        int append() throws Exception;
    }

    /**
     * Opens the target called {@code impl}: {@code file}, {@code memory}, {@code raw}, {@code rawPrealloc} or
     * {@code sqlite}.
     */
    static AppendTarget open(String impl) throws Exception {
        return switch (impl) {
            case "file" -> BackendTarget.file();
            case "memory" -> BackendTarget.memory();
            case "raw" -> RawFileTarget.open(false);
            case "rawPrealloc" -> RawFileTarget.open(true);
            case "sqlite" -> SqliteTarget.open();
            default -> throw new IllegalArgumentException("Unknown append target '" + impl
                    + "': use file, memory, raw, rawPrealloc or sqlite");
        };
    }

    /** A thread's tag in event ids: {@code t00} to {@code t99}. */
    static String tag(int threadIndex) {
        return String.format("t%02d", threadIndex);
    }
}
