package io.prodigy.storage.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.error.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"session-3f2a", "workflow-1700000000000", "mapreduce-20250310_140158", "a:b@c+d=e",
            "Größe", "x.y", "item_7", "日本語-ジョブ", "работа"})
    void acceptsOrdinaryIds(String id) {
        assertThat(Ids.check("id", id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc", "a/../b", "a/b", "a\\b", "/abs", ".hidden", "~root", "", " x", "x ",
            "a\u0000b", "a\nb", "a\u2028b", "item 7", "a\tb", "a\u00a0b", "job-\uD83D\uDE80", "a\u200db", "a\u202eb",
            "\uD83D"})
    void rejectsUnsafeIds(String id) {
        assertThatThrownBy(() -> Ids.check("session id", id))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Invalid session id ")
                .hasMessageContaining("Use letters, digits");
    }

    @Test
    void messagesSayWhichRuleWasBroken() {
        assertThatThrownBy(() -> Ids.check("job id", "a/b"))
                .hasMessage("Invalid job id 'a/b': it contains a path separator. Use letters, digits, '-', '_', '.',"
                        + " ':' or '@' (at most 160 bytes; no spaces, emoji or other symbols, control characters, '/'"
                        + " or '\\', and no leading '.' or '~').");
        assertThatThrownBy(() -> Ids.check("job id", "my job")).hasMessageContaining("white space at position 2");
        assertThatThrownBy(() -> Ids.check("job id", "job-\uD83D\uDE80"))
                .hasMessageContaining("U+1F680 (an emoji, symbol or invisible character) at position 4");
        assertThatThrownBy(() -> Ids.check("job id", null)).hasMessageContaining("(null): it is missing");
        assertThatThrownBy(() -> Ids.check("job id", "a\u0001b")).hasMessageContaining("'a\\u0001b'")
                .hasMessageContaining("control character at position 1");
    }

    @Test
    void limitIsCountedInUtf8Bytes() {
        assertThat(Ids.problem("a".repeat(160))).isNull();
        assertThat(Ids.problem("a".repeat(161))).isEqualTo("it is longer than 160 bytes");
        assertThat(Ids.problem("é".repeat(81))).isEqualTo("it is longer than 160 bytes");
    }

    @Test
    void jobRefValidatesBothParts() {
        assertThatThrownBy(() -> JobRef.of("../repo", "job")).hasMessageContaining("repository name");
        assertThatThrownBy(() -> JobRef.of("repo", "a/b")).hasMessageContaining("job id");
        assertThat(JobRef.of("repo", "job")).hasToString("repo/job");
    }

    @Test
    void repositoryNameIsTheLastComponentOfTheCanonicalPath(@TempDir Path tmp) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("my-project"));
        Path link = Files.createSymbolicLink(tmp.resolve("alias"), project);
        assertThat(RepositoryNames.fromPath(project)).isEqualTo("my-project");
        assertThat(RepositoryNames.fromPath(link)).isEqualTo("my-project");
        assertThat(RepositoryNames.fromPath(tmp.resolve("missing/child/"))).isEqualTo("child");
        assertThatThrownBy(() -> RepositoryNames.fromPath(Path.of("/")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Could not determine repository name from path '/'");
    }
}
