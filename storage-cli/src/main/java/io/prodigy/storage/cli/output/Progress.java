package io.prodigy.storage.cli.output;

/**
 * Progress of one long task (migrate, import, export, cleanup, demo). Implementations: a progress bar on a terminal,
 * plain lines otherwise, nothing with {@code --json}. Thread-safe: concurrent workers may report steps.
 */
public interface Progress extends AutoCloseable {

    /** Progress that shows nothing. */
    Progress NONE = new Progress() {
        @Override
        public void stepBy(long n) {}

        @Override
        public void maxHint(long total) {}

        @Override
        public void message(String text) {}

        @Override
        public void close() {}
    };

    /** {@code n} more units are done. */
    void stepBy(long n);

    default void step() {
        stepBy(1);
    }

    /** The total turned out different from the first estimate. */
    void maxHint(long total);

    /** A short status shown beside the counter (for example the record type being copied). */
    void message(String text);

    /** Finishes the display (the last state stays visible). */
    @Override
    void close();
}
