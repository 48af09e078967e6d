package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 as a user sees it, with the real jar: what repair and damaged reads print on stderr, and that the debug
 * log never shows credentials.
 */
class DamagedStoreIT {

    @TempDir
    Path tmp;

    private CliResult p(String stdin, String... args) throws Exception {
        String[] all = new String[args.length + 4];
        all[0] = "--storage-dir";
        all[1] = tmp.resolve("store").toString();
        all[2] = "--repo";
        all[3] = "r";
        System.arraycopy(args, 0, all, 4, args.length);
        return JarProcess.run(tmp, Map.of("HOME", tmp.resolve("home").toString()), stdin, all);
    }

    private Path segment(String regex) throws IOException {
        try (Stream<Path> files = Files.list(tmp.resolve("store/events/r/J"))) {
            return files.filter(f -> f.getFileName().toString().matches(regex)).findFirst().orElseThrow();
        }
    }

    private static void cut(Path file, int bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - bytes);
        }
    }

    @Test
    void aCutTailIsSetAsideWithAnHonestWarningAndSequencesAreNotReused() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(p("{\"event_type\":\"x\"}\n".repeat(10), "events", "append", "--job", "J").exitCode()).isZero();
        }
        Path seg = segment("events-.*\\.jsonl");
        cut(seg, 5);
        CliResult r = p("{\"event_type\":\"after\"}\n", "events", "append", "--job", "J");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(sequences 31..31)");
        assertThat(r.err()).contains(seg.getFileName() + ".damaged-").contains("sequences 21..29")
                .contains("may not have been acknowledged").contains("Nothing was deleted")
                .doesNotContain("was never acknowledged");
        CliResult list = p("", "events", "list", "--job", "J");
        assertThat(list.err()).contains("holds damaged bytes that a repair moved aside");
    }

    @Test
    void aCutSealedSegmentIsReportedOnEveryReadAndItsIntactEventsAreServed() throws Exception {
        Path config = Files.writeString(tmp.resolve("config.yml"),
                "storage:\n  backend: file\n  backend_config:\n    max_file_size: 2048\n");
        String ten = "{\"event_type\":\"x\"}\n";
        for (int i = 0; i < 2; i++) {
            CliResult a = p(ten.repeat(10), "--config", config.toString(), "events", "append", "--job", "J");
            assertThat(a.exitCode()).as(a.toString()).isZero();
        }
        Path sealed = segment("events-.*-0+1-0+10\\.jsonl");
        cut(sealed, 5);
        for (int read = 0; read < 2; read++) {
            CliResult list = p("", "--config", config.toString(), "--json", "events", "list", "--job", "J");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.json().size()).as("1..9 and 11..20").isEqualTo(19);
            assertThat(list.err()).contains(sealed.toString()).contains("is damaged").contains("sequences 1..9");
        }
    }

    @Test
    void theDebugLogNeverShowsUrlCredentials() throws Exception {
        // A command that writes opens (and creates) the store, so the debug log has its "Opened" line; info would not.
        CliResult r = JarProcess.run(tmp, Map.of("HOME", tmp.resolve("home").toString()), "{\"event_type\":\"a\"}\n",
                "-v", "--storage-dir", "https://user:s3cret@host/x", "--repo", "r", "events", "append", "--job", "J");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("Opened file store at");
        assertThat(r.out() + r.err()).doesNotContain("s3cret");
    }
}
