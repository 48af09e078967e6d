package io.prodigy.storage.bench.records;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.session.PersistedSession;

/**
 * Runs one record operation in a loop outside JMH, so that a system-call tracer can count what one call costs
 * ({@code bench/profile.sh} runs it under {@code strace -c}):
 * <pre>java -cp benchmarks.jar io.prodigy.storage.bench.records.RecordLoop file|sqlite sessionSave|checkpointSave SIZE N</pre>
 */
public final class RecordLoop {

    private RecordLoop() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: RecordLoop file|sqlite sessionSave|checkpointSave SIZE N");
        }
        int size = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        try (RecordTarget target = RecordTarget.open(args[0])) {
            PersistedSession s = target.saveSession(RecordFixtures.session(size));
            Checkpoint c = target.saveCheckpoint(RecordFixtures.checkpoint(size));
            // Marks the start of the loop in the trace: everything before is opening and creating.
            System.out.println("loop start");
            System.out.flush();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                switch (args[1]) {
                    case "sessionSave" -> s = target.saveSession(s.withProgress(s.iterationsCompleted() + 1, 0));
                    case "checkpointSave" -> c = target.saveCheckpoint(c.withStepIndex(c.stepIndex() + 1));
                    default -> throw new IllegalArgumentException("unknown operation " + args[1]);
                }
            }
            System.out.printf("%d x %s %s (%d bytes): %.1f us per call%n", n, args[0], args[1], size,
                    (System.nanoTime() - start) / 1e3 / n);
        }
    }
}
