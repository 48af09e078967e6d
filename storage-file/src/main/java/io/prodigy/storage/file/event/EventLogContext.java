package io.prodigy.storage.file.event;

import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.support.ChangeNotifier;
import io.prodigy.storage.support.lease.FenceCheck;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** What the job logs of one open store share. */
final class EventLogContext {

    final StoreContext store;
    final long maxFileSize;
    final boolean compress;
    final SegmentIndexes indexes = new SegmentIndexes();
    final ChangeNotifier notifier;
    /** Checks the fences of appends, purges and deletes, under the job's guard. */
    final FenceCheck fences;
    /** Compresses sealed segments off the append path. */
    final ExecutorService background;

    EventLogContext(StoreContext store, long maxFileSize, boolean compress, ChangeNotifier notifier,
            FenceCheck fences) {
        this.store = store;
        this.fences = fences;
        this.maxFileSize = maxFileSize;
        this.compress = compress;
        this.notifier = notifier;
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "prodigy-file-compress");
            t.setDaemon(true);
            return t;
        });
    }

    /** Lets queued compressions finish (a segment left uncompressed is still read correctly). */
    void shutdown() {
        background.shutdown();
        try {
            background.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
