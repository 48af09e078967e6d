package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowExecution;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DemoCommandTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void demoRunsAMapReduceJobWithCrashAndResumeAndLeavesItInStorage(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            TestCli cli = f.cli(tmp.resolve("my-project"));
            CliResult r = cli.run("--json", "demo", "--jobs", "2", "--items", "16", "--agents", "3", "--fail-rate",
                    "0.4", "--seed", "5");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode doc = r.json();
            assertThat(doc.get("repository").asText()).isEqualTo("my-project");
            assertThat(doc.get("jobs").size()).isEqualTo(2);
            JsonNode first = doc.get("jobs").get(0);
            JsonNode crash = first.get("crash");
            // The crash hits once 8 items finished; agents already writing their result may still finish theirs.
            int finishedBeforeCrash = crash.get("after_items").asInt();
            assertThat(finishedBeforeCrash).isBetween(16 * 55 / 100, 16);
            // The resume recovers every item finished before the crash: from the checkpoint or from the event log.
            assertThat(crash.get("from_checkpoint").asInt() + crash.get("from_event_log").asInt())
                    .isEqualTo(finishedBeforeCrash);
            assertThat(crash.get("pending_after_resume").asInt()).isEqualTo(16 - finishedBeforeCrash);
            assertThat(first.get("redone_items").asInt()).isZero();
            assertThat(doc.get("jobs").get(1).has("crash")).isFalse();
            assertThat(first.get("reduce").get("stale_write_rejected").asBoolean()).isTrue();

            JobRef job = JobRef.of("my-project", first.get("job_id").asText());
            List<EventRecord> events = f.fromStorage(s -> EventsCommandsTest.all(s.events().query(
                    EventFilter.forJob(job))));
            assertThat(events).hasSize(first.get("events").asInt());
            assertThat(events).extracting(EventRecord::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed()
                            .toList());
            Map<String, Long> completions = events.stream().filter(e -> e.eventType().equals("agent_completed"))
                    .collect(Collectors.groupingBy(e -> e.data().get("item_id").asText(), Collectors.counting()));
            assertThat(completions.values()).allMatch(n -> n == 1);
            assertThat(events).extracting(EventRecord::eventType).contains("job_started", "agent_started",
                    "agent_progress", "checkpoint_created", "checkpoint_loaded", "job_resumed", "reduce_started",
                    "reduce_completed", "job_completed");
            assertThat(events.stream().map(EventRecord::correlationId).distinct().count()).isEqualTo(2);

            List<DlqItem> dlq = f.fromStorage(s -> s.dlq().list(DlqFilter.forJob(job)));
            assertThat(dlq).hasSize(first.get("dlq_depth").asInt());
            assertThat(completions.size() + dlq.size()).isEqualTo(16);
            assertThat(dlq).allSatisfy(item -> {
                assertThat(item.failureHistory()).hasSize(item.retryCount() + 1);
                assertThat(item.failureHistory().get(item.failureHistory().size() - 1).error())
                        .startsWith("still failing after reprocessing: ");
                assertThat(item.workItem().get("path").asText()).isEqualTo("corpus/" + item.itemId() + ".txt");
            });

            List<CheckpointInfo> checkpoints = f.fromStorage(s -> s.checkpoints().list(CheckpointFilter.forScope(
                    CheckpointScope.job(job))));
            assertThat(checkpoints).filteredOn(c -> c.kind() == CheckpointKind.SETUP).hasSize(1);
            assertThat(checkpoints).filteredOn(c -> c.kind() == CheckpointKind.MAP).isNotEmpty();
            assertThat(checkpoints).filteredOn(c -> c.kind() == CheckpointKind.REDUCE).hasSize(1);

            List<PersistedSession> sessions = f.fromStorage(s -> s.sessions().list(
                    io.prodigy.storage.session.SessionFilter.ALL));
            assertThat(sessions).hasSize(2).allMatch(s -> s.state() == SessionState.COMPLETED);
            List<WorkflowExecution> runs = f.fromStorage(s -> s.workflows().listExecutions("demo-wordcount", 0));
            assertThat(runs).hasSize(2).allMatch(e -> e.status() == ExecutionStatus.COMPLETED);
            assertThat(f.<List<io.prodigy.storage.lock.LockLease>>fromStorage(s -> s.locks().list())).isEmpty();

            CliResult again = cli.run("demo", "--jobs", "1", "--items", "5", "--no-crash", "--seed", "6");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out()).contains("3 demo jobs in repository 'my-project' (2 from earlier runs, still"
                    + " there)");
            if (backend == Backend.FILE) {
                assertThat(again.out()).contains("Next, try:", "prodigy-storage jobs list",
                        "remove with  prodigy-storage demo --clean");
            } else {
                // Nothing survives the process: no suggestions that would find nothing.
                assertThat(again.out()).doesNotContain("Next, try:").contains("keeps nothing after this command");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void textOutputNarratesThePhases(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            CliResult r = f.cli(tmp).run("--repo", "demo-repo", "demo", "--jobs", "1", "--items", "10", "--seed", "9");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("prodigy-storage demo: 1 MapReduce job x 10 items, 4 agents",
                    "  setup ", "  crash   simulated coordinator crash after ", "  resume  from checkpoint",
                    "  dlq ", "  reduce  lock reduce:demo-repo:", "stale-token write rejected",
                    "verified: no item done twice", "Summary", "events", "checkpoints");
            if (backend == Backend.FILE) {
                assertThat(r.out()).contains("prodigy-storage --repo demo-repo events stats --job demo-");
            }
            assertThat(r.err()).contains("map demo-"); // progress lines go to stderr
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void badOptionsAreUsageErrors(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            CliResult r = f.cli(tmp).run("demo", "--fail-rate", "1.5");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).isEqualTo("error: --fail-rate must be from 0 to 1, was 1.5\n");
            CliResult agents = f.cli(tmp).run("demo", "--agents", "zero");
            assertThat(agents.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(agents.err()).contains("Invalid value for option '--agents': 'zero' is not an int");
        }
    }
}
