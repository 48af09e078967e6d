package io.prodigy.storage.file.event;

import io.prodigy.storage.support.ChangeNotifier;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-process wake-up hints for subscriptions: a {@link WatchService} on the job directories that have
 * subscribers; any change there signals the store's {@link ChangeNotifier}. Only a hint: subscriptions also poll,
 * so a platform without a native watch service (or a missed event) costs latency, never events.
 */
final class EventWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventWatcher.class);

    private final ChangeNotifier notifier;
    private final Map<Path, WatchKey> watched = new ConcurrentHashMap<>();
    private volatile WatchService service;
    private Thread thread;

    EventWatcher(ChangeNotifier notifier) {
        this.notifier = notifier;
    }

    /** Watches {@code dir} (which must exist) from now on. Failures are logged; polling still works. */
    synchronized void watch(Path dir) {
        if (watched.containsKey(dir)) {
            return;
        }
        try {
            if (service == null) {
                service = FileSystems.getDefault().newWatchService();
                thread = new Thread(this::run, "prodigy-file-watch");
                thread.setDaemon(true);
                thread.start();
            }
            watched.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot watch {} ({}); subscribers fall back to polling", dir, e.toString());
        }
    }

    private void run() {
        WatchService ws = service;
        try {
            while (true) {
                WatchKey key = ws.take();
                key.pollEvents();
                notifier.signal();
                if (!key.reset()) {
                    watched.values().remove(key);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    @Override
    public synchronized void close() {
        if (service != null) {
            try {
                service.close();
            } catch (IOException ignored) {
                // nothing to flush
            }
            service = null;
        }
        watched.clear();
    }
}
