package io.prodigy.storage.file.process;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One agent of {@link MultiProcessTest}: appends {@code events} events to one job in batches of {@code batch}, and
 * between appends claims DLQ items of one queue one at a time (with a long lease, never releasing them), until both
 * are done. Prints {@code E <first> <last>} per acknowledged append and {@code C <item>} per claimed item.
 *
 * <p>Args: base dir, repo, job, dlq job, agent name, events, batch.
 */
public final class MultiProcessChild {

    private MultiProcessChild() {}

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        JobRef job = JobRef.of(args[1], args[2]);
        JobRef dlqJob = JobRef.of(args[1], args[3]);
        String agent = args[4];
        int events = Integer.parseInt(args[5]);
        int batch = Integer.parseInt(args[6]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (UnifiedStorage s = new FileStorageProvider().open(
                StorageConfig.forBackend("file").withBackendOption("base_dir", base.toString()),
                StorageContext.system())) {
            out.println("READY");
            out.flush();
            int appended = 0;
            boolean queueEmpty = false;
            while (appended < events || !queueEmpty) {
                if (appended < events) {
                    List<NewEvent> b = new ArrayList<>(batch);
                    for (int i = 0; i < batch && appended + i < events; i++) {
                        b.add(NewEvent.of("agent_progress", Json.nodes().objectNode().put("n", appended + i))
                                .withAgentId(agent));
                    }
                    AppendResult r = s.events().append(job, b);
                    appended += b.size();
                    out.println("E " + r.firstSequence() + " " + r.lastSequence());
                }
                if (!queueEmpty) {
                    List<DlqItem> claimed = s.dlq().claim(dlqJob, agent, 1, Duration.ofHours(1));
                    if (claimed.isEmpty()) {
                        queueEmpty = true;
                    }
                    for (DlqItem item : claimed) {
                        out.println("C " + item.itemId());
                    }
                }
                out.flush();
            }
        }
        out.println("DONE");
        out.flush();
    }
}
