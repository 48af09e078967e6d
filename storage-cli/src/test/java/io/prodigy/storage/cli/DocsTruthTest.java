package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md and docs/ say what the code does, and cite only what is in the repository. */
class DocsTruthTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void healthPrintsTheRowsDocsCliShows() throws IOException {
        String docs = Files.readString(ROOT.resolve("docs/cli.md"));
        Matcher block = Pattern.compile("\\$ prodigy-storage health\\n(.*?)\\[exit 0]", Pattern.DOTALL).matcher(docs);
        assertThat(block.find()).isTrue();
        try (Backend.Fixture f = Backend.FILE.open(tmp)) {
            CliResult r = f.cli(tmp).run("health");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(rowNames(r.out())).isEqualTo(rowNames(block.group(1)));
        }
    }

    /** The first word of every line: Status, Backend, …, and the detail keys. */
    private static List<String> rowNames(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+")[0]).toList();
    }

    @Test
    void sourcesDocsAndMessagesCiteNoFileOutsideTheRepository() throws IOException {
        List<String> offenders = new ArrayList<>();
        Pattern outside = Pattern.compile("storage-configuration\\.md|facts §|lessons? \\d+|\\.\\./shared/");
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git"))
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md")
                            || p.endsWith("bin/prodigy-storage"))
                    .forEach(p -> {
                        String text = read(p);
                        Matcher m = outside.matcher(text);
                        if (m.find() && !p.endsWith("DocsTruthTest.java")) {
                            offenders.add(ROOT.relativize(p) + ": " + m.group());
                        }
                    });
        }
        assertThat(offenders).as("point to docs/ instead").isEmpty();
    }

    @Test
    void theReadmeSaysWhichBackendsExistAndWhichAreInProgress() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher sentence = Pattern.compile("[^.]*PostgreSQL, Redis and S3[^.]*\\.").matcher(readme);
        assertThat(sentence.find()).isTrue();
        boolean built = Stream.of("storage-postgres", "storage-redis", "storage-s3")
                .allMatch(m -> Files.isDirectory(ROOT.resolve(m)));
        if (!built) {
            assertThat(sentence.group()).as("no claim that they exist while they are being built")
                    .contains("in progress");
        }
        for (String module : List.of("storage-api", "storage-core", "storage-file", "storage-memory", "storage-default",
                "storage-cli")) {
            assertThat(ROOT.resolve(module)).as("README lists %s", module).isDirectory();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
