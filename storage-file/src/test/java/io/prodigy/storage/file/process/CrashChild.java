package io.prodigy.storage.file.process;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The victim of {@link CrashTest}: appends batches of 1..20 events and saves a MAP checkpoint every few appends, in a
 * loop, until it is killed. After each call returns it prints what was acknowledged and flushes:
 * {@code A <first> <last>} for an append, {@code K <revision> <step>} for a checkpoint.
 *
 * <p>Args: base dir, repo, job, max file size.
 */
public final class CrashChild {

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        JobRef job = JobRef.of(args[1], args[2]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Random random = new Random();
        try (UnifiedStorage s = new FileStorageProvider().open(StorageConfig.forBackend("file")
                .withBackendOption("base_dir", base.toString())
                .withBackendOption("max_file_size", Long.parseLong(args[3])), StorageContext.system())) {
            CheckpointScope scope = CheckpointScope.job(job);
            Checkpoint cp = s.checkpoints().load(scope, "progress").orElse(null);
            out.println("READY");
            out.flush();
            for (int round = 0; ; round++) {
                int n = 1 + random.nextInt(20);
                List<NewEvent> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    // Payloads of a few KiB make a kill inside a multi-page write likely.
                    batch.add(NewEvent.of("agent_progress", Json.nodes().objectNode()
                            .put("round", round).put("pad", "x".repeat(random.nextInt(2000)))));
                }
                AppendResult r = s.events().append(job, batch);
                out.println("A " + r.firstSequence() + " " + r.lastSequence());
                out.flush();
                if (round % 3 == 0) {
                    Checkpoint next = cp == null
                            ? Checkpoint.job("progress", job, CheckpointKind.MAP, 1, java.time.Instant.now(), 0,
                                    null)
                            : cp.withStepIndex((int) r.lastSequence());
                    cp = s.checkpoints().save(next.withState(Json.nodes().objectNode()
                            .put("last_sequence", r.lastSequence())));
                    out.println("K " + cp.revision() + " " + cp.stepIndex());
                    out.flush();
                }
            }
        }
    }
}
