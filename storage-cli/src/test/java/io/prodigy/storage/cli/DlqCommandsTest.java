package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.dlq.DlqFilter;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DlqCommandsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void listShowAndStats(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::dlq);
            TestCli cli = f.cli(tmp);

            CliResult list = cli.run("--repo", "proj", "dlq", "list", "--job", "job-1");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out()).contains("ITEM", "item-1", "item-2", "timeout again", "merge conflict");

            JsonNode items = cli.run("--repo", "proj", "--json", "dlq", "list", "--job", "job-1").json();
            assertThat(items.size()).isEqualTo(2);
            JsonNode first = items.get(0);
            assertThat(first.get("item_id").asText()).isEqualTo("item-1");
            assertThat(first.get("retry_count").asInt()).isEqualTo(1);
            assertThat(first.get("failure_history").size()).isEqualTo(2);
            assertThat(first.get("work_item").get("path").asText()).isEqualTo("a.txt");
            assertThat(first.get("enqueued_at").asText()).isEqualTo("2026-01-01T10:01:40Z");

            JsonNode retried = cli.run("--repo", "proj", "--json", "dlq", "list", "--job", "job-1", "--min-retries",
                    "1").json();
            assertThat(retried.size()).isEqualTo(1);

            CliResult show = cli.run("--repo", "proj", "dlq", "show", "--job", "job-1", "item-1");
            assertThat(show.exitCode()).isZero();
            assertThat(show.out()).contains("Failures     2 (retry count 1)", "Last error   timeout again",
                    "Metadata     phase = map", "1. 2026-01-01T10:01:40Z  agent-1  timeout",
                    "2. 2026-01-01T10:03:20Z  agent-3  timeout again");
            assertThat(cli.run("--repo", "proj", "--json", "dlq", "show", "--job", "job-1", "item-2").json()
                    .get("last_error").asText()).isEqualTo("merge conflict");

            CliResult stats = cli.run("--repo", "proj", "--json", "dlq", "stats", "--job", "job-1");
            assertThat(stats.exitCode()).isZero();
            JsonNode s = stats.json();
            assertThat(s.get("total_items").asLong()).isEqualTo(2);
            assertThat(s.get("items_by_retry_count").get("0").asLong()).isEqualTo(1);
            assertThat(s.get("items_by_retry_count").get("1").asLong()).isEqualTo(1);
            assertThat(s.get("oldest_item").asText()).isEqualTo("2026-01-01T10:01:40Z");
            assertThat(s.get("newest_item").asText()).isEqualTo("2026-01-01T10:02:30Z");
            assertThat(s.get("average_retry_count").asDouble()).isEqualTo(0.5);
            assertThat(cli.run("--repo", "proj", "dlq", "stats", "--job", "job-1").out())
                    .contains("Items            2 (0 claimed)", "Average retries  0.50");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void removeAndPurge(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(s -> {
                Fixtures.events(s);
                Fixtures.dlq(s);
            });
            TestCli cli = f.cli(tmp);

            CliResult missing = cli.run("--repo", "proj", "dlq", "remove", "--job", "job-1", "item-9");
            assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(missing.err()).isEqualTo("error: DLQ item 'item-9' does not exist in job proj/job-1. Run"
                    + " 'prodigy-storage dlq list --job job-1' to see its items.\n");

            CliResult removed = cli.run("--repo", "proj", "dlq", "remove", "--job", "job-1", "item-2");
            assertThat(removed.exitCode()).isZero();
            assertThat(removed.out()).isEqualTo("Removed item item-2 from the dead-letter queue of proj/job-1.\n");
            assertThat(f.<Integer>fromStorage(s -> s.dlq().list(DlqFilter.forJob(Fixtures.JOB)).size())).isEqualTo(1);

            CliResult purge = cli.run("--repo", "proj", "--json", "dlq", "purge", "--job", "job-1", "--yes");
            assertThat(purge.exitCode()).isZero();
            assertThat(purge.json().get("removed").asLong()).isEqualTo(1);
            assertThat(f.<Long>fromStorage(s -> s.dlq().stats(Fixtures.JOB).totalItems())).isZero();

            CliResult again = cli.run("--repo", "proj", "dlq", "purge", "--job", "job-1", "--yes");
            assertThat(again.out()).isEqualTo("The dead-letter queue of proj/job-1 is already empty.\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void unknownJob(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            CliResult r = f.cli(tmp.resolve("my-project")).run("dlq", "stats", "--job", "ghost");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err()).isEqualTo("error: Job 'ghost' not found in repository 'my-project': it has no events,"
                    + " DLQ items or checkpoints. Run 'prodigy-storage jobs list' to see the stored jobs, or pass"
                    + " --repo if it belongs to another repository.\n");
        }
    }
}
