package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.lock.LockLease;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckpointsLocksCommandsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void checkpointsListShowAndPrune(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(Fixtures::checkpoints);
            TestCli cli = f.cli(tmp);

            CliResult all = cli.run("checkpoints", "list");
            assertThat(all.exitCode()).as(all.toString()).isZero();
            assertThat(all.out()).contains("setup", "map-0003", "wf-cp-1", "job proj/job-1", "workflow wf-1", "MAP");

            JsonNode job = cli.run("--repo", "proj", "--json", "checkpoints", "list", "--job", "job-1").json();
            assertThat(job.size()).isEqualTo(4);
            assertThat(job.get(3).get("id").asText()).isEqualTo("map-0003");
            assertThat(job.get(3).get("kind").asText()).isEqualTo("MAP");
            assertThat(job.get(3).get("size_bytes").asLong()).isPositive();
            assertThat(cli.run("--json", "checkpoints", "list", "--workflow", "wf-1").json().size()).isEqualTo(1);

            CliResult show = cli.run("checkpoints", "show", "map-0002");
            assertThat(show.exitCode()).as(show.toString()).isZero();
            assertThat(show.out()).contains("Checkpoint   map-0002", "Scope        job proj/job-1",
                    "Kind         MAP (format version 1)", "Step index   2", "\"done\" : 3");
            JsonNode wf = cli.run("--json", "checkpoints", "show", "wf-cp-1", "--workflow", "wf-1").json();
            assertThat(wf.get("variables").get("x").asText()).isEqualTo("1");
            assertThat(wf.get("completed_steps").size()).isEqualTo(2);

            CliResult unknown = cli.run("checkpoints", "show", "map-9999");
            assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(unknown.err()).isEqualTo("error: Checkpoint 'map-9999' does not exist. Run 'prodigy-storage"
                    + " checkpoints list' to see the stored checkpoints.\n");

            CliResult both = cli.run("checkpoints", "list", "--job", "a", "--workflow", "b");
            assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(both.err()).contains("mutually exclusive");

            CliResult dry = cli.run("--repo", "proj", "--json", "checkpoints", "prune", "--keep", "2", "--job",
                    "job-1", "--dry-run");
            assertThat(dry.json().get("deleted").asInt()).isEqualTo(2);
            assertThat(countJobCheckpoints(f)).isEqualTo(4);

            CliResult prune = cli.run("--repo", "proj", "checkpoints", "prune", "--keep", "2", "--job", "job-1");
            assertThat(prune.exitCode()).isZero();
            assertThat(prune.out()).contains("Deleted 2 checkpoints, keeping the newest 2 of each.");
            assertThat(f.<java.util.List<String>>fromStorage(s -> s.checkpoints().list(CheckpointFilter.forScope(
                    CheckpointScope.job(Fixtures.JOB))).stream().map(CheckpointInfo::id).toList()))
                    .containsExactly("map-0002", "map-0003");
        }
    }

    private static int countJobCheckpoints(Backend.Fixture f) {
        return f.fromStorage(s -> s.checkpoints().list(CheckpointFilter.forScope(CheckpointScope.job(Fixtures.JOB)))
                .size());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void locksListAndReleaseRefusesLiveLeaseUnlessForced(Backend backend) {
        try (Backend.Fixture f = backend.open(tmp)) {
            LockLease lease = f.fromStorage(s -> s.locks().acquire("reduce-lock", Duration.ofMinutes(10),
                    Duration.ZERO));
            TestCli cli = f.cli(tmp);

            CliResult list = cli.run("--json", "locks", "list");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.json().size()).isEqualTo(1);
            assertThat(list.json().get(0).get("key").asText()).isEqualTo("reduce-lock");
            assertThat(list.json().get(0).get("fencing_token").asLong()).isEqualTo(lease.fencingToken());
            assertThat(cli.run("locks", "list").out()).contains("reduce-lock", "KEY", "TOKEN");

            CliResult refused = cli.run("locks", "release", "reduce-lock");
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(refused.err()).startsWith("error: Lock 'reduce-lock' is held by ")
                    .contains("holder " + lease.holder(), "Refusing to release it. If that holder is gone, run again"
                            + " with --force.");
            assertThat(f.<java.util.Optional<LockLease>>fromStorage(s -> s.locks().current("reduce-lock"))).isPresent();

            CliResult forced = cli.run("locks", "release", "reduce-lock", "--force");
            assertThat(forced.exitCode()).isZero();
            assertThat(forced.out()).startsWith("Broke the live lease on 'reduce-lock' held by ")
                    .contains("fencing token " + lease.fencingToken(), "will now be rejected");
            assertThat(f.<java.util.Optional<LockLease>>fromStorage(s -> s.locks().current("reduce-lock"))).isEmpty();

            CliResult none = cli.run("--json", "locks", "release", "reduce-lock");
            assertThat(none.exitCode()).isZero();
            assertThat(none.json().get("released").asBoolean()).isFalse();
            LockLease next = f.fromStorage(s -> s.locks().acquire("reduce-lock", Duration.ofMinutes(1),
                    Duration.ZERO));
            assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
        }
    }
}
