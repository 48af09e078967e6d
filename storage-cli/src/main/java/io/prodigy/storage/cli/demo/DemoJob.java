package io.prodigy.storage.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.cli.CommandFailedException;
import io.prodigy.storage.cli.output.Progress;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowExecution;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * One simulated MapReduce job, phase by phase: setup (session, workflow execution, setup checkpoint), map (concurrent
 * agents, DLQ, map checkpoints) with a crash part-way and a resume, DLQ reprocessing, a lock-guarded reduce, and the
 * completion records. Finally it verifies from storage that no item was done twice and every item is accounted for.
 */
final class DemoJob {

    /** Where the phases report to (text lines, or nothing in JSON mode). */
    interface Phases {
        void phase(String name, String text);
    }

    private final StorageHandle storage;
    private final DemoOptions options;
    private final Clock clock;
    private final Phases phases;
    private final BiFunction<String, Long, Progress> progress;

    DemoJob(StorageHandle storage, DemoOptions options, Clock clock, Phases phases,
            BiFunction<String, Long, Progress> progress) {
        this.storage = storage;
        this.options = options;
        this.clock = clock;
        this.phases = phases;
        this.progress = progress;
    }

    JobReport run(JobRef job, long seed, boolean crash) throws Exception {
        long started = clock.millis();
        Corpus corpus = Corpus.generate(options.items(), options.failRate(), seed);
        DemoEvents events = new DemoEvents(job.jobId());
        UnifiedStorage s = storage.current();
        String sessionId = "session-" + UUID.randomUUID();
        setup(s, job, corpus, events, sessionId);

        Set<String> succeeded = new TreeSet<>();
        Set<String> deadLettered = new TreeSet<>();
        int checkpointEvery = Math.max(2, options.items() / 5);
        int crashAfter = crash ? Math.max(1, options.items() * 55 / 100) : 0;
        JobReport.Crash crashReport = null;
        phases.phase("map", String.format("%d items, %d agents, a map checkpoint every %d finished items%s",
                options.items(), options.agents(), checkpointEvery, crash ? "; the coordinator will crash" : ""));
        MapRun.Result r;
        // One progress display per simulated process; phase lines are printed only between them, so a terminal
        // progress bar never has text written into its line.
        try (Progress bar = progress.apply("map " + job.jobId(), (long) options.items())) {
            r = new MapRun(s, job, corpus, events, clock, bar, options.agents(), checkpointEvery, crashAfter,
                    succeeded, deadLettered, 0).run(corpus.ids());
            if (r.crashed()) {
                bar.message("(crashed)");
            }
        }
        if (r.crashed()) {
            phases.phase("crash", String.format("simulated coordinator crash after %d of %d items; %d in flight"
                    + " lost%s", r.finished(), options.items(), r.inFlightLost(),
                    storage.reopensOnRestart() ? "; storage closed and reopened" : ""));
            s = storage.restart();
            ResumePlan plan = ResumePlan.read(s, job, corpus.ids());
            events = events.nextProcess();
            append(s, job, events.checkpointLoaded(plan.checkpointId(), plan.checkpointVersion()));
            append(s, job, events.jobResumed(plan.checkpointVersion(), plan.pending().size(), plan.fromEventLog()));
            s.sessions().updateState(sessionId, SessionState.IN_PROGRESS);
            phases.phase("resume", String.format("from checkpoint %s (%d items done) + %d finished items found in"
                    + " the event log after it; %d items left", plan.checkpointId(), plan.fromCheckpoint(),
                    plan.fromEventLog(), plan.pending().size()));
            try (Progress bar = progress.apply("map " + job.jobId() + " (resumed)", (long) options.items())) {
                bar.stepBy(options.items() - plan.pending().size());
                new MapRun(s, job, corpus, events, clock, bar, options.agents(), checkpointEvery, 0,
                        new TreeSet<>(plan.succeeded()), new TreeSet<>(plan.deadLettered()),
                        plan.checkpointVersion()).run(plan.pending());
            }
            crashReport = new JobReport.Crash(r.finished(), r.inFlightLost(), plan.checkpointId(),
                    plan.fromCheckpoint(), plan.fromEventLog(), plan.pending().size());
            ResumePlan after = ResumePlan.read(s, job, corpus.ids());
            succeeded = after.succeeded();
            deadLettered = after.deadLettered();
        }
        int mapCheckpoints = countCheckpoints(s, job, CheckpointKind.MAP);
        phases.phase("map", String.format("done: %d items, %d succeeded, %d dead-lettered with their failure history;"
                + " %d map checkpoints", options.items(), succeeded.size(), deadLettered.size(), mapCheckpoints));

        DlqReprocessing.Result dlq = DlqReprocessing.run(s, job, corpus, events, clock, seed);
        phases.phase("dlq", String.format("claimed %s for reprocessing: %d fixed and removed, %d released back"
                + " with one more failure", Formats.plural(dlq.claimed(), "item", "items"), dlq.fixed(),
                dlq.stillFailing()));

        ReducePhase.Result reduce = ReducePhase.run(s, job, events, clock);
        phases.phase("reduce", String.format("lock %s (fencing token %d): merged %d outputs, %s words, %d distinct;"
                + " top: %s; stale-token write %s", reduce.lockKey(), reduce.fencingToken(), reduce.inputs(),
                Formats.count(reduce.totalWords()), reduce.distinctWords(), reduce.top().keySet(),
                reduce.staleWriteRejected() ? "rejected" : "NOT rejected (fencing is off)"));

        Verification check = Verification.check(s, job, corpus.ids());
        if (!check.ok()) {
            throw new CommandFailedException("Demo job " + job + " failed verification: " + check.describe()
                    + ". The storage backend lost or duplicated work; run with --verbose and report it.");
        }
        long duration = clock.millis() - started;
        long dlqDepth = s.dlq().stats(job).totalItems();
        append(s, job, events.jobCompleted(duration, succeeded.size() + dlq.fixed(), (int) dlqDepth));
        finish(s, job, sessionId, options.items());

        EventStats stats = s.events().aggregate(job);
        Map<String, Long> checkpoints = new TreeMap<>();
        for (CheckpointInfo c : s.checkpoints().list(CheckpointFilter.forScope(CheckpointScope.job(job)))) {
            checkpoints.merge(c.kind().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
        }
        phases.phase("done", String.format("%d events, %d item%s left in the DLQ; verified: no item done twice, every"
                + " item accounted for (%s)", stats.totalEvents(), dlqDepth, dlqDepth == 1 ? "" : "s", Formats.duration(
                java.time.Duration.ofMillis(duration))));
        return new JobReport(job.jobId(), job.repository(), sessionId, options.items(), succeeded.size(), dlq.fixed(),
                dlqDepth, s.dlq().list(io.prodigy.storage.dlq.DlqFilter.forJob(job)).stream()
                        .map(io.prodigy.storage.dlq.DlqItem::itemId).toList(), crashReport, checkpoints, stats.totalEvents(), stats.countsByType(), reduce,
                check.redone().size(), duration);
    }

    private void setup(UnifiedStorage s, JobRef job, Corpus corpus, DemoEvents events, String sessionId) {
        Map<String, com.fasterxml.jackson.databind.JsonNode> meta = Map.of(
                "job_id", Json.nodes().textNode(job.jobId()),
                "repository", Json.nodes().textNode(job.repository()),
                "workflow", Json.nodes().textNode(DemoWorkflow.ID),
                "session_type", Json.nodes().textNode("mapreduce"));
        s.sessions().save(PersistedSession.create(sessionId, clock.instant()).withState(SessionState.IN_PROGRESS)
                .withWorktreeName("session-" + job.jobId()).withMetadata(meta));
        s.workflows().recordExecution(new WorkflowExecution(job.jobId(), DemoWorkflow.ID, clock.instant(), null,
                ExecutionStatus.RUNNING, null));
        append(s, job, events.jobStarted(options.items(), options.agents()));
        ObjectNode state = Json.nodes().objectNode();
        state.put("total_items", corpus.items().size());
        state.put("input", "corpus/*.txt");
        state.set("work_items", Json.mapper().valueToTree(corpus.items().stream().map(Corpus.Item::json).toList()));
        s.checkpoints().save(Checkpoint.job("setup", job, CheckpointKind.SETUP, 1, clock.instant(), 0, state));
        append(s, job, events.checkpointCreated("setup", 0, 0));
        phases.phase("setup", String.format("session %s, setup checkpoint with %d work items", sessionId,
                corpus.items().size()));
    }

    private void finish(UnifiedStorage s, JobRef job, String sessionId, int items) {
        PersistedSession session = s.sessions().load(sessionId).orElseThrow();
        s.sessions().save(session.withState(SessionState.COMPLETED).withProgress(items, 0));
        WorkflowExecution running = s.workflows().listExecutions(DemoWorkflow.ID, 0).stream()
                .filter(e -> e.id().equals(job.jobId())).findFirst().orElseThrow();
        s.workflows().recordExecution(running.finished(ExecutionStatus.COMPLETED, clock.instant()));
    }

    private static int countCheckpoints(UnifiedStorage s, JobRef job, CheckpointKind kind) {
        return s.checkpoints().list(CheckpointFilter.forScope(CheckpointScope.job(job)).withKind(kind)).size();
    }

    private static void append(UnifiedStorage s, JobRef job, NewEvent e) {
        s.events().append(job, List.of(e));
    }
}
