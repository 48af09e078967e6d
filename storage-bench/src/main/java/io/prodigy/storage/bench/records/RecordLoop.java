package io.prodigy.storage.bench.records;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.session.PersistedSession;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Runs one record operation in a loop outside JMH, so that a system-call tracer can count what one call costs
 * ({@code bench/profile.sh} runs it under {@code strace}), and reports wall time and this thread's CPU time per call
 * (CPU is what a loaded machine blurs least; on tmpfs it is all of a call):
 * <pre>java -cp benchmarks.jar io.prodigy.storage.bench.records.RecordLoop file|sqlite OP SIZE N</pre>
 * OP is sessionSave, checkpointSave, sessionLoad or checkpointLoad. The first half of the calls warm up the JIT and
 * are not measured; the line "loop start" marks where the measured half begins.
 */
public final class RecordLoop {

    private RecordLoop() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: RecordLoop file|sqlite OP SIZE N");
        }
        int size = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (RecordTarget target = RecordTarget.open(args[0])) {
            Calls calls = new Calls(target, args[1], size);
            calls.run(n / 2);
            // Marks the start of the measured loop in the trace: everything before is opening and warming up.
            System.out.println("loop start");
            System.out.flush();
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            calls.run(n);
            long wall = System.nanoTime() - start;
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            System.out.printf("%d x %s %s (%d bytes): %.1f us per call, CPU %.1f us per call%n", n, args[0], args[1],
                    size, wall / 1e3 / n, cpu / 1e3 / n);
        }
    }

    /** One operation on one record, repeated. */
    private static final class Calls {
        private final RecordTarget target;
        private final String op;
        private PersistedSession session;
        private Checkpoint checkpoint;

        Calls(RecordTarget target, String op, int size) throws Exception {
            this.target = target;
            this.op = op;
            this.session = target.saveSession(RecordFixtures.session(size));
            this.checkpoint = target.saveCheckpoint(RecordFixtures.checkpoint(size));
        }

        void run(int n) throws Exception {
            for (int i = 0; i < n; i++) {
                switch (op) {
                    case "sessionSave" -> session = target.saveSession(
                            session.withProgress(session.iterationsCompleted() + 1, 0));
                    case "checkpointSave" -> checkpoint = target.saveCheckpoint(
                            checkpoint.withStepIndex(checkpoint.stepIndex() + 1));
                    case "sessionLoad" -> target.loadSession(session.id()).orElseThrow();
                    case "checkpointLoad" -> target.loadCheckpoint(checkpoint).orElseThrow();
                    default -> throw new IllegalArgumentException("unknown operation " + op);
                }
            }
        }
    }
}
