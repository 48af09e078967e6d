package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventsCommandsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void listShowsEventsInOrderAndFilters(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::events);
            TestCli cli = f.cli(tmp);

            CliResult all = cli.run("--repo", "proj", "events", "list", "--job", "job-1");
            assertThat(all.exitCode()).as(all.toString()).isZero();
            assertThat(all.out()).contains("SEQ", "job_started", "agent_completed", "checkpoint_created");
            assertThat(all.out().lines().count()).isEqualTo(8); // header + 7 events

            CliResult json = cli.run("--repo", "proj", "--json", "events", "list", "--job", "job-1", "--type",
                    "agent_started", "--type", "agent_failed");
            assertThat(json.exitCode()).isZero();
            JsonNode events = json.json();
            assertThat(events.isArray()).isTrue();
            assertThat(types(events)).containsExactly("agent_started", "agent_started", "agent_failed");
            JsonNode first = events.get(0);
            assertThat(first.get("sequence").asLong()).isEqualTo(2);
            assertThat(first.get("event_type").asText()).isEqualTo("agent_started");
            assertThat(first.get("agent_id").asText()).isEqualTo("agent-1");
            assertThat(first.get("correlation_id").asText()).isEqualTo("c1");
            assertThat(first.get("timestamp").asText()).isEqualTo("2026-01-01T10:01:00Z");
            assertThat(first.get("job").get("job_id").asText()).isEqualTo("job-1");

            assertThat(types(cli.run("--repo", "proj", "--json", "events", "list", "--job", "job-1", "--agent",
                    "agent-2").json())).containsExactly("agent_started", "agent_failed", "agent_retrying");
            assertThat(types(cli.run("--repo", "proj", "--json", "events", "list", "--job", "job-1",
                    "--correlation", "c1").json())).containsExactly("job_started", "agent_started",
                    "agent_completed", "checkpoint_created");
            assertThat(types(cli.run("--repo", "proj", "--json", "events", "list", "--job", "job-1", "--since",
                    "2026-01-01T10:02:00Z", "--until", "2026-01-01T10:05:00Z").json()))
                    .containsExactly("agent_started", "agent_failed");
            assertThat(types(cli.run("--repo", "proj", "--json", "events", "list", "--job", "job-1", "--limit",
                    "2").json())).containsExactly("job_started", "agent_started");
            assertThat(types(cli.run("--repo", "proj", "--json", "events", "list", "--job", "job-1", "--since",
                    "2026-01-01").json())).hasSize(7);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void badInputIsReportedWithWhatToDo(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::events);
            TestCli cli = f.cli(tmp);

            CliResult unknown = cli.run("--repo", "proj", "events", "list", "--job", "nope");
            assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(unknown.err()).isEqualTo("error: Job 'nope' not found in repository 'proj': it has no events,"
                    + " DLQ items or checkpoints. Run 'prodigy-storage jobs list' to see the stored jobs.\n");
            assertThat(unknown.out()).isEmpty();

            CliResult badTime = cli.run("--repo", "proj", "events", "list", "--job", "job-1", "--since", "yesterday");
            assertThat(badTime.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(badTime.err()).startsWith("error: Invalid value for option '--since': 'yesterday' is not a"
                    + " time: use an ISO-8601 time such as 2026-11-21T10:00:00Z, a date such as 2026-11-21, or an age"
                    + " such as 15m, 2h or 7d");

            CliResult missingJob = cli.run("events", "stats");
            assertThat(missingJob.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(missingJob.err()).contains("Missing required option: '--job=JOB'");

            CliResult inverted = cli.run("--repo", "proj", "events", "list", "--job", "job-1", "--since",
                    "2026-01-02T00:00:00Z", "--until", "2026-01-01T00:00:00Z");
            assertThat(inverted.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(inverted.err()).isEqualTo("error: --since (2026-01-02T00:00:00Z) must be before --until"
                    + " (2026-01-01T00:00:00Z)\n");

            CliResult badId = cli.run("--repo", "proj", "events", "list", "--job", "../etc");
            assertThat(badId.exitCode()).as("an invalid id is a usage error").isEqualTo(ExitCodes.USAGE);
            assertThat(badId.err()).startsWith("error: Invalid job id (--job) '../etc': it contains a path separator");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void statsUseSpecFieldNames(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::events);
            TestCli cli = f.cli(tmp);
            CliResult r = cli.run("--repo", "proj", "--json", "events", "stats", "--job", "job-1");
            assertThat(r.exitCode()).isZero();
            JsonNode s = r.json();
            assertThat(s.get("total_events").asLong()).isEqualTo(7);
            assertThat(s.get("error_count").asLong()).isEqualTo(1);
            assertThat(s.get("success_count").asLong()).isEqualTo(1);
            assertThat(s.get("pending_count").asLong()).isEqualTo(4); // job_started, two agent_started, agent_retrying
            assertThat(s.get("first_event").asText()).isEqualTo("2026-01-01T10:00:00Z");
            assertThat(s.get("last_event").asText()).isEqualTo("2026-01-01T10:06:00Z");
            assertThat(s.get("counts_by_type").get("agent_started").asLong()).isEqualTo(2);

            CliResult text = cli.run("--repo", "proj", "events", "stats", "--job", "job-1");
            assertThat(text.out()).contains("Events         7 (sequences 1..7)",
                    "Outcomes       1 success, 1 error, 4 pending, 1 other", "agent_started", "pending");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void tailShowsTheLastEvents(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::events);
            CliResult r = f.cli(tmp).run("--repo", "proj", "--json", "events", "tail", "--job", "job-1", "-n", "2");
            assertThat(r.exitCode()).isZero();
            assertThat(types(r.json())).containsExactly("agent_retrying", "checkpoint_created");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void tailFollowPrintsEventsAppendedWhileItRuns(Backend backend) throws Exception {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::events);
            TestCli cli = f.cli(tmp);
            TestCli.Running tail = cli.start("--repo", "proj", "--json", "events", "tail", "--job", "job-1", "-n", "100",
                    "--follow", "--max-events", "10", "--for", "60s");
            // Wait until the seven stored events are printed: from then on tail is following.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (tail.outSoFar().lines().count() < 7 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(tail.outSoFar().lines().count()).isEqualTo(7);
            // Appended by separate invocations (separate store instances on the file backend), one by one.
            for (int i = 1; i <= 3; i++) {
                CliResult append = f.cli(tmp).withStdin("{\"event_type\":\"late_" + i + "\"}\n")
                        .run("--repo", "proj", "events", "append", "--job", "job-1");
                assertThat(append.exitCode()).as(append.toString()).isZero();
            }
            CliResult r = tail.await(60);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            List<JsonNode> lines = r.jsonLines();
            assertThat(lines).extracting(n -> n.get("sequence").asLong())
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(lines.subList(7, 10)).extracting(n -> n.get("event_type").asText())
                    .containsExactly("late_1", "late_2", "late_3");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void exportStreamsJsonLinesThatAppendAcceptsBack(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::events);
            TestCli cli = f.cli(tmp);
            CliResult export = cli.run("--repo", "proj", "events", "export", "--job", "job-1");
            assertThat(export.exitCode()).isZero();
            List<JsonNode> lines = export.jsonLines();
            assertThat(lines).hasSize(7);
            assertThat(lines).extracting(n -> n.get("sequence").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(export.err()).contains("Exported 7 events of proj/job-1.");

            CliResult append = f.cli(tmp).withStdin(export.out()).run("--repo", "proj", "--json", "events", "append",
                    "--job", "copy");
            assertThat(append.exitCode()).as(append.toString()).isZero();
            assertThat(append.json().get("appended").asInt()).isEqualTo(7);
            assertThat(append.json().get("first_sequence").asLong()).isEqualTo(1);
            assertThat(append.json().get("last_sequence").asLong()).isEqualTo(7);

            List<EventRecord> copied = f.fromStorage(s -> all(s.events().query(EventFilter.forJob(JobRef.of("proj",
                    "copy")))));
            List<EventRecord> original = f.fromStorage(s -> all(s.events().query(EventFilter.forJob(Fixtures.JOB))));
            assertThat(copied).extracting(EventRecord::id, EventRecord::eventType, EventRecord::timestamp,
                    EventRecord::agentId, EventRecord::correlationId, EventRecord::data)
                    .containsExactlyElementsOf(original.stream().map(e -> org.assertj.core.groups.Tuple.tuple(e.id(),
                            e.eventType(), e.timestamp(), e.agentId(), e.correlationId(), e.data())).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void appendReadsAFileAndRejectsBadLinesWithoutAppendingAnything(Backend backend) throws Exception {
        try (Backend.Fixture f = backend.open(tmp)) {
            Path file = tmp.resolve("in.jsonl");
            Files.writeString(file, "{\"event_type\":\"a\",\"data\":{\"k\":1},\"agent_id\":\"x\"}\n\n"
                    + "{\"event_type\":\"b\",\"timestamp\":\"2026-02-01T00:00:00Z\"}\n");
            CliResult ok = f.cli(tmp).run("--repo", "proj", "events", "append", "--job", "scripted", file.toString());
            assertThat(ok.exitCode()).as(ok.toString()).isZero();
            assertThat(ok.out()).isEqualTo("Appended 2 events to proj/scripted (sequences 1..2).\n");

            CliResult bad = f.cli(tmp).withStdin("{\"event_type\":\"c\"}\n{\"evnt_type\":\"d\"}\n")
                    .run("--repo", "proj", "events", "append", "--job", "scripted");
            assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(bad.err()).isEqualTo("error: stdin line 2: unknown field 'evnt_type'; allowed: event_type,"
                    + " data, agent_id, correlation_id, id, timestamp. Nothing was appended.\n");

            CliResult missing = f.cli(tmp).run("--repo", "proj", "events", "append", "--job", "scripted",
                    tmp.resolve("nope.jsonl").toString());
            assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(missing.err()).isEqualTo("error: Input file '" + tmp.resolve("nope.jsonl")
                    + "' does not exist or is not a file.\n");

            List<EventRecord> stored = f.fromStorage(s -> all(s.events().query(EventFilter.forJob(
                    JobRef.of("proj", "scripted")))));
            assertThat(stored).extracting(EventRecord::eventType).containsExactly("a", "b");
            assertThat(stored.get(0).agentId()).isEqualTo("x");
            assertThat(stored.get(1).timestamp()).isEqualTo("2026-02-01T00:00:00Z");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void reRunningALargeInputAppendsNothingTwice(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            StringBuilder input = new StringBuilder();
            for (int i = 0; i < 25_000; i++) {
                input.append("{\"event_type\":\"line\",\"data\":{\"n\":").append(i).append("}}\n");
            }
            CliResult first = f.cli(tmp).withStdin(input.toString())
                    .run("--repo", "proj", "--json", "events", "append", "--job", "big");
            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(first.json().get("appended").asInt()).isEqualTo(25_000);
            // Another writer appends meanwhile; the re-run must still find what it stored.
            f.cli(tmp).withStdin("{\"event_type\":\"other\"}\n").run("--repo", "proj", "events", "append", "--job",
                    "big");

            CliResult again = f.cli(tmp).withStdin(input.toString())
                    .run("--repo", "proj", "--json", "events", "append", "--job", "big");

            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.json().get("appended").asInt()).isZero();
            assertThat(again.json().get("duplicates").asInt()).isEqualTo(25_000);
            assertThat(f.<Long>fromStorage(s -> s.events().aggregate(JobRef.of("proj", "big")).totalEvents()))
                    .isEqualTo(25_001);
        }
    }

    static List<String> types(JsonNode array) {
        return Stream.iterate(0, i -> i < array.size(), i -> i + 1).map(i -> array.get(i).get("event_type").asText())
                .toList();
    }

    static List<EventRecord> all(Stream<EventRecord> events) {
        try (events) {
            return events.collect(Collectors.toList());
        }
    }
}
