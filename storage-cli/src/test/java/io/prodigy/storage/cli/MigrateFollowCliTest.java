package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.core.StorageFactory;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.LockLease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate copy --from URL --to URL [--follow]} end to end, with file stores in temporary directories. */
class MigrateFollowCliTest {

    private static final String PASSWORD = "Hunter2";
    private static final JobRef LIVE = JobRef.of("proj", "live-job");

    @TempDir
    Path tmp;
    private Path home;
    private String sourceUrl;
    private String targetUrl;

    @BeforeEach
    void stores() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        sourceUrl = tmp.resolve("source store").toUri().toString();
        targetUrl = tmp.resolve("target store").toUri().toString();
        try (UnifiedStorage source = open(sourceUrl)) {
            Fixtures.all(source);
        }
    }

    private TestCli cli() {
        return new TestCli(Map.of("HOME", home.toString()), tmp, StorageOpener.factory());
    }

    private static UnifiedStorage open(String url) {
        return StorageFactory.create().openUrl(url, "test");
    }

    @Test
    void followsWritersUntilTheFileAppearsThenCutsOverReportingHeldLocks() throws Exception {
        TestCli.Running running = cli().start("migrate", "copy", "--from", sourceUrl, "--to", targetUrl, "--follow",
                "--until-file", "cut-over-now", "--poll-interval", "100ms");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!running.err().toString().contains("Following the source") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(running.err().toString()).as(running.outSoFar()).contains("Following the source until "
                + tmp.resolve("cut-over-now") + " exists (Ctrl-C to cut over)...");
        LockLease lease;
        try (UnifiedStorage source = open(sourceUrl)) {
            for (int batch = 0; batch < 3; batch++) {
                List<NewEvent> events = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    events.add(new NewEvent("live-" + batch + "-" + i, null, "agent_progress",
                            Json.nodes().objectNode().put("i", i), null, "agent-1"));
                }
                source.events().append(LIVE, events);
                Thread.sleep(150);
            }
            lease = source.locks().tryAcquire("reduce:proj:live-job", Duration.ofMinutes(5)).orElseThrow();
            Files.writeString(tmp.resolve("cut-over-now"), "");
            CliResult r = running.await(120);

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.out()).contains("Copying file storage at " + sourceUrl, "to " + targetUrl,
                    "then following it", "Bulk copy:", "Followed the source (stopped: "
                            + tmp.resolve("cut-over-now") + " appeared)", "catch-up lag, max", "cut-over",
                    "Locks held in the source at cut-over (not copied):", "reduce:proj:live-job held by",
                    "Verification passed", "Cut-over verified, but the source still holds the locks above");
            assertThat(r.out()).containsPattern("events copied while following\\s+30\\n");
            source.locks().release(lease);
        }
        try (UnifiedStorage target = open(targetUrl); Stream<EventRecord> live = target.events().query(
                EventFilter.forJob(LIVE))) {
            List<EventRecord> events = live.toList();
            assertThat(events).extracting(EventRecord::id).doesNotHaveDuplicates().hasSize(30);
            assertThat(events).extracting(EventRecord::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
            assertThat(target.locks().list()).isEmpty();
        }

        // Run again (the file is still there, so it cuts over at once): nothing copied twice, exit 0 without locks.
        CliResult again = cli().run("--json", "migrate", "copy", "--from", sourceUrl, "--to", targetUrl, "--follow",
                "--until-file", tmp.resolve("cut-over-now").toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode doc = again.json();
        assertThat(doc.get("ok").asBoolean()).isTrue();
        assertThat(doc.get("events_during_follow").asLong()).isZero();
        assertThat(doc.get("locks_at_cutover")).isEmpty();
        assertThat(doc.get("verification").get("mirrors").asBoolean()).isTrue();
        assertThat(doc.get("from").asText()).isEqualTo(sourceUrl);
        JsonNode events = type(doc.get("bulk"), "event");
        assertThat(events.get("copied").asLong()).isZero();
        assertThat(events.get("already_present").asLong()).isEqualTo(38);
    }

    @Test
    void aTargetWithRecordsOfItsOwnIsRefusedUnlessForced() {
        try (UnifiedStorage target = open(targetUrl)) {
            target.sessions().save(io.prodigy.storage.session.PersistedSession.create("theirs",
                    java.time.Instant.parse("2026-01-01T00:00:00Z")));
        }
        CliResult refused = cli().run("migrate", "copy", "--from", sourceUrl, "--to", targetUrl, "--follow",
                "--follow-for", "0s");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.err()).contains("The target holds 1 record(s) the source does not have (session theirs)",
                "nothing was written");
        try (UnifiedStorage target = open(targetUrl)) {
            assertThat(target.sessions().load("theirs")).isPresent();
            assertThat(target.events().lastSequence(Fixtures.JOB)).isZero();
        }

        CliResult forced = cli().run("migrate", "copy", "--from", sourceUrl, "--to", targetUrl, "--follow",
                "--follow-for", "0s", "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.out()).contains("Followed the source (stopped: 0s passed)", "Cut-over complete and verified");
        try (UnifiedStorage target = open(targetUrl)) {
            assertThat(target.sessions().load("theirs")).isEmpty();
        }
    }

    @Test
    void copyFromUrlToUrlWithoutFollowVerifies() {
        CliResult r = cli().run("migrate", "copy", "--from", sourceUrl, "--to", targetUrl, "--verify");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Copy complete and verified.");
        try (UnifiedStorage target = open(targetUrl)) {
            assertThat(target.events().aggregate(Fixtures.JOB).totalEvents()).isEqualTo(7);
        }
    }

    @Test
    void badCombinationsAreUsageErrorsAndPasswordsNeverShow() {
        assertUsage(cli().run("migrate", "copy", "--from", sourceUrl), "Say where to copy to: --to URL");
        assertUsage(cli().run("migrate", "copy", "--to", targetUrl, "--to-config", "t.yml"),
                "Give the target once: --to URL or --to-config FILE, not both.");
        assertUsage(cli().run("migrate", "copy", "--to", targetUrl, "--until-file", "x"),
                "--until-file, --follow-for and --poll-interval only apply with --follow.");
        assertUsage(cli().run("migrate", "copy", "--to", targetUrl, "--follow", "--dry-run"),
                "--follow copies; it cannot be a --dry-run.");
        assertUsage(cli().run("--storage-url", sourceUrl, "migrate", "copy", "--from", sourceUrl, "--to", targetUrl),
                "The source is given twice");
        assertUsage(cli().run("migrate", "copy", "--from", targetUrl, "--to", targetUrl),
                "--from and --to name the same storage");

        CliResult secret = cli().run("migrate", "copy", "--from", sourceUrl, "--to",
                "postgresql://app:" + PASSWORD + "@db:99999/x", "--follow");
        assertThat(secret.exitCode()).as(secret.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(secret.err()).contains("postgresql://****@db:99999/x");
        assertThat(secret.out() + secret.err()).doesNotContain(PASSWORD);
        assertThat(tmp.resolve("target store")).as("nothing was created").doesNotExist();
    }

    private static void assertUsage(CliResult r, String message) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(message);
    }

    /** One record type's row in a copy report's {@code types}. */
    private static JsonNode type(JsonNode copy, String type) {
        for (JsonNode t : copy.get("types")) {
            if (t.get("type").asText().equals(type)) {
                return t;
            }
        }
        throw new AssertionError("no type " + type + " in " + copy);
    }
}
