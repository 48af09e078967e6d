package io.prodigy.storage.cli.output;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Chooses how progress is shown: a bar (me.tongfei progressbar) when a person is at a terminal, plain progress lines
 * on stderr otherwise (logs and CI keep a readable record), nothing when stdout carries JSON.
 */
public final class ProgressFactory {

    private final Mode mode;
    private final PrintWriter err;
    private final Clock clock;

    public enum Mode { BAR, LINES, NONE }

    public ProgressFactory(Mode mode, PrintWriter err, Clock clock) {
        this.mode = mode;
        this.err = err;
        this.clock = clock;
    }

    /** The mode for this run: terminal, JSON output. */
    public static Mode modeFor(boolean interactive, boolean json) {
        if (json) {
            return Mode.NONE;
        }
        return interactive ? Mode.BAR : Mode.LINES;
    }

    /**
     * Starts showing a task.
     *
     * @param task  what is being done, for example {@code copy events}
     * @param total the expected number of units, or -1 if unknown
     */
    public Progress start(String task, long total) {
        return switch (mode) {
            case NONE -> Progress.NONE;
            case LINES -> new LineProgress(task, total, err, clock);
            case BAR -> new BarProgress(new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(100)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .continuousUpdate()
                    .build());
        };
    }

    /** Adapter over the terminal progress bar. */
    private record BarProgress(ProgressBar bar) implements Progress {
        @Override
        public void stepBy(long n) {
            bar.stepBy(n);
        }

        @Override
        public void maxHint(long total) {
            bar.maxHint(total);
        }

        @Override
        public void message(String text) {
            bar.setExtraMessage(text);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /**
     * Plain lines for logs and CI: one at each quarter of the way (none for tasks of fewer than 8 units), or every
     * 5 seconds when the total is unknown, and one at the end.
     */
    static final class LineProgress implements Progress {
        private static final long UNKNOWN_TOTAL_INTERVAL_MS = 5_000;
        private static final long SMALL_TASK = 8;

        private final String task;
        private final PrintWriter err;
        private final Clock clock;
        private long total;
        private long done;
        private long lastQuarter = 0;
        private long lastPrintMillis;
        private String message = "";
        private boolean closed;

        LineProgress(String task, long total, PrintWriter err, Clock clock) {
            this.task = task;
            this.total = total;
            this.err = err;
            this.clock = clock;
            this.lastPrintMillis = clock.millis();
        }

        @Override
        public synchronized void stepBy(long n) {
            done += n;
            if (total >= SMALL_TASK) {
                long quarter = Math.min(4, done * 4 / total);
                if (quarter > lastQuarter && quarter < 4) {
                    lastQuarter = quarter;
                    print();
                }
            } else if (total < 0 && clock.millis() - lastPrintMillis >= UNKNOWN_TOTAL_INTERVAL_MS) {
                print();
            }
        }

        @Override
        public synchronized void maxHint(long newTotal) {
            total = newTotal;
        }

        @Override
        public synchronized void message(String text) {
            message = text == null ? "" : text;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                print();
            }
        }

        private void print() {
            lastPrintMillis = clock.millis();
            String counter = total > 0
                    ? String.format(Locale.ROOT, "%d/%d (%d%%)", done, total, done * 100 / total)
                    : done + " done";
            err.println(task + ": " + counter + (message.isEmpty() ? "" : " " + message));
            err.flush();
        }
    }
}
