package io.prodigy.storage.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.cli.output.Progress;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One process's run of the map phase: agents on a thread pool take items from a shared queue and write their events
 * to the job's log concurrently; failed items go to the DLQ with their failure history; a map checkpoint is taken
 * every few finished items.
 *
 * <p><b>Why a read-write lock.</b> An agent appends its item's final event and records the item as done under the
 * read lock; a checkpoint is taken under the write lock and stores, besides the done items, the log's last sequence.
 * So every "item finished" event at or below that sequence is in the checkpoint, and a resume that replays the log
 * after it finds exactly the items finished since: none is lost and none is done twice.
 *
 * <p><b>The crash</b> is cooperative (agents check a flag before each write) rather than a thread interrupt:
 * interrupting a thread inside file I/O would close the store's shared channels, which is not what a crash of a
 * separate process does to the store.
 */
final class MapRun {

    static final int MAX_ATTEMPTS = 2;

    /** What the run did. */
    record Result(boolean crashed, int finished, int inFlightLost, int checkpoints, String lastCheckpointId,
            int checkpointVersion) {}

    private final UnifiedStorage storage;
    private final JobRef job;
    private final Corpus corpus;
    private final DemoEvents events;
    private final Clock clock;
    private final Progress progress;
    private final int agents;
    private final int checkpointEvery;
    private final int crashAfter;

    private final Set<String> succeeded;
    private final Set<String> deadLettered;
    private final ReentrantReadWriteLock finishing = new ReentrantReadWriteLock();
    private final AtomicBoolean crashed = new AtomicBoolean();
    private final AtomicInteger finishedThisRun = new AtomicInteger();
    private final AtomicInteger taken = new AtomicInteger();
    private int checkpointVersion;
    private int checkpointsTaken;
    private String lastCheckpointId;

    /**
     * @param succeeded       items known done before this run (updated as the run goes)
     * @param deadLettered    items known dead-lettered before this run (updated as the run goes)
     * @param checkpointVersion the version of the last map checkpoint taken before this run
     * @param crashAfter      crash once this many items finished in this run; 0 for no crash
     */
    MapRun(UnifiedStorage storage, JobRef job, Corpus corpus, DemoEvents events, Clock clock, Progress progress,
            int agents, int checkpointEvery, int crashAfter, Set<String> succeeded, Set<String> deadLettered,
            int checkpointVersion) {
        this.storage = storage;
        this.job = job;
        this.corpus = corpus;
        this.events = events;
        this.clock = clock;
        this.progress = progress;
        this.agents = agents;
        this.checkpointEvery = checkpointEvery;
        this.crashAfter = crashAfter;
        this.succeeded = succeeded;
        this.deadLettered = deadLettered;
        this.checkpointVersion = checkpointVersion;
    }

    Result run(List<String> pending) throws Exception {
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(pending);
        ExecutorService pool = Executors.newFixedThreadPool(agents, r -> {
            Thread t = new Thread(r, "demo-agent");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int a = 1; a <= agents; a++) {
                String agent = "agent-" + a;
                running.add(pool.submit(() -> {
                    String item;
                    while (!crashed.get() && (item = queue.poll()) != null) {
                        taken.incrementAndGet();
                        process(agent, corpus.get(item));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        int lost = crashed.get() ? taken.get() - finishedThisRun.get() : 0;
        return new Result(crashed.get(), finishedThisRun.get(), lost, checkpointsTaken, lastCheckpointId,
                checkpointVersion);
    }

    private void process(String agent, Corpus.Item item) throws InterruptedException {
        List<DlqFailure> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (crashed.get()) {
                return;
            }
            long started = clock.millis();
            append(events.agentStarted(agent, item.id(), attempt));
            Thread.sleep(item.workMillis() / 2);
            append(events.agentProgress(agent, item.id(), "count_words", 50));
            Thread.sleep(item.workMillis() - item.workMillis() / 2);
            if (crashed.get()) {
                return; // the crash hit while the agent worked: its result is lost
            }
            boolean fails = switch (item.behaviour()) {
                case OK -> false;
                case FLAKY -> attempt == 1;
                case BROKEN, FATAL -> true;
            };
            if (!fails) {
                finish(item.id(), events.agentCompleted(agent, item.id(), clock.millis() - started, item.mapOutput()),
                        true);
                return;
            }
            boolean retryable = item.behaviour() != Corpus.Behaviour.FATAL && attempt < MAX_ATTEMPTS;
            failures.add(new DlqFailure(item.id(), attempt == 1 ? item.json() : null, item.error(), agent,
                    details(attempt, item), java.util.Map.of("phase", "map", "input", "corpus/" + item.id() + ".txt"),
                    clock.instant()));
            append(events.agentFailed(agent, item.id(), item.error(), retryable));
            if (!retryable) {
                for (DlqFailure f : failures) {
                    storage.dlq().add(job, f);
                }
                finish(item.id(), events.dlqItemAdded(agent, item.id(), item.error(), failures.size()), false);
                return;
            }
            long backoff = 5L * attempt;
            append(events.agentRetrying(agent, item.id(), attempt + 1, backoff));
            Thread.sleep(backoff);
        }
    }

    /** Appends the item's final event and records it done, atomically with respect to checkpoints. */
    private void finish(String itemId, NewEvent finalEvent, boolean success) {
        boolean checkpointDue;
        finishing.readLock().lock();
        try {
            append(finalEvent);
            synchronized (this) {
                (success ? succeeded : deadLettered).add(itemId);
                checkpointDue = (succeeded.size() + deadLettered.size()) % checkpointEvery == 0;
            }
        } finally {
            finishing.readLock().unlock();
        }
        progress.step();
        int n = finishedThisRun.incrementAndGet();
        if (crashAfter > 0 && n >= crashAfter) {
            crashed.set(true);
            return;
        }
        if (checkpointDue && succeeded.size() + deadLettered.size() < corpus.items().size()) {
            checkpoint();
        }
    }

    private void checkpoint() {
        finishing.writeLock().lock();
        try {
            if (crashed.get()) {
                return;
            }
            Set<String> ok;
            Set<String> dead;
            synchronized (this) {
                ok = new TreeSet<>(succeeded);
                dead = new TreeSet<>(deadLettered);
            }
            int version = ++checkpointVersion;
            String id = String.format(Locale.ROOT, "map-%04d", version);
            ObjectNode state = Json.nodes().objectNode();
            state.put("version", version);
            state.put("items_total", corpus.items().size());
            state.put("last_event_sequence", storage.events().lastSequence(job));
            state.set("completed", Json.mapper().valueToTree(ok));
            state.set("dead_lettered", Json.mapper().valueToTree(dead));
            storage.checkpoints().save(Checkpoint.job(id, job, CheckpointKind.MAP, 1, clock.instant(),
                    ok.size() + dead.size(), state));
            append(events.checkpointCreated(id, version, ok.size() + dead.size()));
            checkpointsTaken++;
            lastCheckpointId = id;
        } finally {
            finishing.writeLock().unlock();
        }
    }

    private void append(NewEvent e) {
        storage.events().append(job, List.of(e));
    }

    private static ObjectNode details(int attempt, Corpus.Item item) {
        ObjectNode d = Json.nodes().objectNode();
        d.put("attempt", attempt);
        d.put("exit_code", item.behaviour() == Corpus.Behaviour.FATAL ? 128 : 1);
        d.put("log", "logs/" + item.id() + "-attempt-" + attempt + ".jsonl");
        return d;
    }
}
