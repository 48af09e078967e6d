package io.prodigy.storage.redis;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One process of {@link RedisMultiProcessIT}: appends its events to the shared job in batches, then claims items of
 * the shared DLQ until none is left, removing each with its claim token. Prints {@code claimed <item>} per item it
 * removed and {@code done} at the end.
 *
 * <p>Arguments: url, key prefix, repository, job, worker name, events to append, batch size.
 */
public final class MultiProcessWorker {

    private MultiProcessWorker() {}

    public static void main(String[] args) {
        String url = args[0];
        JobRef job = JobRef.of(args[2], args[3]);
        String worker = args[4];
        int events = Integer.parseInt(args[5]);
        int batch = Integer.parseInt(args[6]);
        StorageConfig config = StorageConfig.forBackend("redis").withBackendOption("url", url)
                .withBackendOption("key_prefix", args[1]);
        try (UnifiedStorage store = new RedisStorageProvider().open(config, StorageContext.withoutProject())) {
            for (int i = 0; i < events; i += batch) {
                List<NewEvent> b = new ArrayList<>();
                for (int e = i; e < Math.min(events, i + batch); e++) {
                    b.add(new NewEvent(worker + "-" + e, null, "work_done", null, null, worker));
                }
                store.events().append(job, b);
            }
            while (true) {
                List<DlqItem> claimed = store.dlq().claim(job, worker, 5, Duration.ofMinutes(5));
                if (claimed.isEmpty()) {
                    break;
                }
                for (DlqItem item : claimed) {
                    if (store.dlq().remove(job, item.itemId(), item.claim().token())) {
                        System.out.println("claimed " + item.itemId());
                    }
                }
            }
        }
        System.out.println("done");
    }
}
