package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 through the command line: poison input is refused with its line number and stores nothing, stored text
 * cannot take over the terminal, a read creates nothing, bad ids and bad YAML are usage errors, one odd entry does not
 * break listings, links and unsafe directories are refused, damage is set aside, and secrets are masked everywhere.
 */
class HostileInputTest {

    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    private TestCli cli() {
        return new TestCli(Map.of("HOME", tmp.resolve("home").toString()), tmp, StorageOpener.factory());
    }

    private CliResult p(String stdin, String... args) {
        return p(cli().withStdin(stdin), args);
    }

    private CliResult p(TestCli cli, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--storage-dir";
        all[1] = store().toString();
        all[2] = "--repo";
        all[3] = "r";
        System.arraycopy(args, 0, all, 4, args.length);
        return cli.run(all);
    }

    private long lastSequence(String job) {
        CliResult r = p("", "--json", "events", "stats", "--job", job);
        return r.exitCode() == 0 ? r.json().path("total_events").asLong() : 0;
    }

    // ------------------------------------------------------------------------------------------------- input

    @Test
    void twoObjectsOnOneLineOrTrailingGarbageAreRejectedWithTheLineNumberAndNothingIsStored() {
        CliResult two = p("{\"event_type\":\"ok\"}\n{\"event_type\":\"a\"} {\"event_type\":\"b\"}\n", "events",
                "append", "--job", "J");
        assertThat(two.exitCode()).as(two.toString()).isEqualTo(2);
        assertThat(two.err()).contains("stdin line 2:").contains("more than one JSON value")
                .contains("Nothing was appended.");
        CliResult garbage = p("{\"event_type\":\"c\"}garbage\n", "events", "append", "--job", "J");
        assertThat(garbage.exitCode()).isEqualTo(2);
        assertThat(garbage.err()).contains("stdin line 1:");
        assertThat(lastSequence("J")).isZero();
    }

    @Test
    void invalidUtf8IsRefusedWithTheLineNumberFromAFileAndFromStdin() throws IOException {
        byte[] bad = "{\"event_type\":\"ok\"}\n{\"event_type\":\"\u00ff\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(tmp.resolve("in.jsonl"), bad);
        CliResult fromFile = p(cli(), "events", "append", "--job", "J", file.toString());
        assertThat(fromFile.exitCode()).as(fromFile.toString()).isEqualTo(2);
        assertThat(fromFile.err()).contains(file + " line 2: not valid UTF-8").doesNotContain("unexpected");
        CliResult fromStdin = p(cli().withStdin(bad), "events", "append", "--job", "J");
        assertThat(fromStdin.exitCode()).isEqualTo(2);
        assertThat(fromStdin.err()).contains("stdin line 2: not valid UTF-8");
        assertThat(lastSequence("J")).isZero();
    }

    @Test
    void aTimestampBeyondYear9999IsRefusedAndTheStoreStaysListable() {
        CliResult r = p("{\"event_type\":\"a\",\"timestamp\":\"+999999999-12-31T23:59:59Z\"}\n", "events", "append",
                "--job", "J");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("stdin line 1: The event timestamp").contains("9999-12-31T23:59:59.999999Z");
        assertThat(p("{\"event_type\":\"a\"}\n", "events", "append", "--job", "K").exitCode()).isZero();
        CliResult jobs = p("", "jobs", "list");
        assertThat(jobs.exitCode()).as(jobs.toString()).isZero();
        assertThat(jobs.out()).contains("K");
    }

    @Test
    void controlCharactersAreEscapedInHumanOutputAndExactInJson() {
        String agent = "ag\u001b[2J\u001b]0;pwned\u0007";
        String line = "{\"event_type\":\"a\",\"agent_id\":\"ag\\u001b[2J\\u001b]0;pwned\\u0007\","
                + "\"correlation_id\":\"c\\u009b1\",\"data\":{\"t\":\"x\\u202ey\"}}\n";
        assertThat(p(line, "events", "append", "--job", "J").exitCode()).isZero();
        CliResult human = p("", "events", "list", "--job", "J");
        assertThat(human.exitCode()).isZero();
        assertThat(human.out()).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e")
                .contains("ag\\u001b[2J");
        JsonNode json = p("", "--json", "events", "list", "--job", "J").json();
        assertThat(json.get(0).get("agent_id").asText()).isEqualTo(agent);
        assertThat(json.get(0).get("correlation_id").asText()).isEqualTo("c\u009b1");
    }

    @Test
    void invalidIdsAreUsageErrorsThatListTheAllowedCharacters() {
        for (String id : new String[] {"my job", "job-\uD83D\uDE80", "a/b"}) {
            CliResult r = p("{\"event_type\":\"a\"}\n", "events", "append", "--job", id);
            assertThat(r.exitCode()).as(id + ": " + r).isEqualTo(2);
            assertThat(r.err()).contains("Invalid job id (--job)").contains("Use letters, digits");
        }
        assertThat(Files.exists(store().resolve("events"))).isFalse();
    }

    @Test
    void invalidYamlIsAUsageError() throws IOException {
        Path config = Files.writeString(tmp.resolve("config.yml"), "storage:\n  backend: [file\n");
        CliResult r = cli().run("--config", config.toString(), "--storage-dir", store().toString(), "jobs", "list");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid YAML in config file");
    }

    @Test
    void aReadWithAMistypedStorageDirCreatesNothing() {
        Path typo = tmp.resolve("typo");
        CliResult r = cli().run("--storage-dir", typo.toString(), "jobs", "list");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(typo.toString()).contains("does not exist").contains("nothing was created");
        assertThat(typo).doesNotExist();
        assertThat(cli().run("--storage-dir", typo.toString(), "--repo", "r", "events", "list", "--job", "J")
                .exitCode()).isEqualTo(2);
        assertThat(typo).doesNotExist();
    }

    // ------------------------------------------------------------------------------------------------- store

    @Test
    void oneOddEntryDoesNotMakeJobsListOrInfoFailForEveryJob() throws IOException {
        assertThat(p("{\"event_type\":\"a\"}\n", "events", "append", "--job", "good").exitCode()).isZero();
        assertThat(p("{\"event_type\":\"a\"}\n", "events", "append", "--job", "odd").exitCode()).isZero();
        Files.createDirectory(store().resolve("events/r/odd/events-20260101_000000-000000000100-000000000200.jsonl"));
        Files.createDirectories(store().resolve("dlq/r/odd/items/item-1.json"));
        CliResult jobs = p("", "jobs", "list");
        assertThat(jobs.exitCode()).as(jobs.toString()).isZero();
        assertThat(jobs.out()).contains("good").contains("odd");
        CliResult info = p("", "info");
        assertThat(info.exitCode()).as(info.toString()).isZero();
        CliResult append = p("{\"event_type\":\"b\"}\n", "events", "append", "--job", "odd");
        assertThat(append.exitCode()).isEqualTo(1);
        assertThat(append.err()).contains("is a directory").doesNotContain("may be retried");
    }

    @Test
    void aSymlinkedSegmentIsReportedAndItsTargetIsNotTruncated() throws IOException {
        assertThat(p("{\"event_type\":\"a\"}\n", "events", "append", "--job", "J").exitCode()).isZero();
        Path victim = Files.writeString(tmp.resolve("v"), "x\n");
        Path seg;
        try (Stream<Path> files = Files.list(store().resolve("events/r/J"))) {
            seg = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).findFirst().orElseThrow();
        }
        Files.delete(seg);
        Files.createSymbolicLink(seg, victim);
        CliResult r = p("{\"event_type\":\"b\"}\n", "events", "append", "--job", "J");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("symbolic link").contains(seg.toString());
        assertThat(Files.readString(victim)).isEqualTo("x\n");
    }

    @Test
    void aWorldWritableStorageDirectoryIsRefusedWithTheFix() throws IOException {
        Files.createDirectory(store());
        Files.setPosixFilePermissions(store(), PosixFilePermissions.fromString("rwxrwxrwx"));
        CliResult r = p("{\"event_type\":\"a\"}\n", "events", "append", "--job", "J");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("writable by every user").contains("chmod 700 " + store());
        assertThat(store().resolve("events")).doesNotExist();
    }

    @Test
    void aCutTailIsSetAsideAndSequencesContinueAfterIt() throws IOException {
        String batch = "{\"event_type\":\"x\"}\n".repeat(10);
        for (int i = 0; i < 3; i++) {
            assertThat(p(batch, "events", "append", "--job", "J").exitCode()).isZero();
        }
        Path seg;
        try (Stream<Path> files = Files.list(store().resolve("events/r/J"))) {
            seg = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(f.length() - 5);
        }
        CliResult r = p("{\"event_type\":\"after\"}\n", "--json", "events", "append", "--job", "J");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("first_sequence").asLong()).isEqualTo(31);
        try (Stream<Path> files = Files.list(store().resolve("events/r/J"))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith(seg.getFileName() + ".damaged-")))
                    .hasSize(1);
        }
        assertThat(p("", "--json", "events", "stats", "--job", "J").json().get("total_events").asLong())
                .isEqualTo(21);
    }

    @Test
    void aCorruptLockFileIsRepairedByReleaseForce() throws IOException {
        Files.createDirectories(store().resolve("locks"));
        assertThat(p("", "jobs", "list").exitCode()).isZero(); // creates the store with safe modes
        Files.writeString(store().resolve("locks/deploy.lock"), "{\"key\":\"deploy\",\"fencing_token\":41,");
        CliResult plain = p("", "locks", "release", "deploy");
        assertThat(plain.exitCode()).isEqualTo(1);
        assertThat(plain.err()).contains("--force").doesNotContain("delete the file (");
        CliResult forced = p("", "locks", "release", "deploy", "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.out()).contains("Repaired the corrupt lock file");
        assertThat(Files.readString(store().resolve("locks/deploy.lock"))).doesNotContain("\"fencing_token\" : 41,")
                .contains("fencing_token");
    }

    @Test
    void credentialsInAUrlShapedStorageDirAreMaskedInInfoAndHealth() {
        CliResult info = cli().run("--storage-dir", "https://user:s3cret@host/x", "info");
        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.out() + info.err()).doesNotContain("s3cret").contains("****@host");
        CliResult json = cli().run("--json", "--storage-dir", "https://user:s3cret@host/x", "info");
        assertThat(json.out()).doesNotContain("s3cret");
        CliResult health = cli().run("--storage-dir", "https://user:s3cret@host/x", "health");
        assertThat(health.out() + health.err()).doesNotContain("s3cret");
    }
}
