package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/prodigy-storage} on a fresh clone: it says that it builds the jar and how long that takes, and writes no
 * escape codes when stderr is not a terminal. The script is copied into a tree without the jar; a stand-in {@code mvn}
 * on the PATH "builds" it by copying the real jar, and prints colour codes unless told {@code -Dstyle.color=never},
 * as Maven does.
 */
class BinScriptIT {

    @TempDir
    Path tmp;

    @Test
    void theFirstRunSaysItBuildsTheJarAndPrintsNoEscapeCodes() throws Exception {
        Path root = tmp.resolve("clone");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("..", "bin", "prodigy-storage"), bin.resolve("prodigy-storage"));
        Path fakeBin = Files.createDirectories(tmp.resolve("fake-bin"));
        Path mvn = fakeBin.resolve("mvn");
        Files.writeString(mvn, """
                #!/usr/bin/env bash
                case " $* " in
                  *" -Dstyle.color=never "*) ;;
                  *) printf '\\033[1;34m[INFO]\\033[0m building\\n' ;;
                esac
                mkdir -p storage-cli/target
                cp "%s" storage-cli/target/prodigy-storage.jar
                """.formatted(JarProcess.jar().toAbsolutePath()));
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin.resolve("prodigy-storage"), PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder pb = new ProcessBuilder(bin.resolve("prodigy-storage").toString(), "nosuchcommand")
                .directory(tmp.toFile())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().put("PATH", fakeBin + ":" + System.getenv("PATH"));
        pb.environment().put("HOME", tmp.resolve("home").toString());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.USAGE);
        assertThat(err).startsWith("prodigy-storage: building the CLI jar (first run, ~40 s)...")
                .contains("Unmatched argument").doesNotContain("\u001b");
        assertThat(root.resolve("storage-cli/target/prodigy-storage.jar")).isRegularFile();
    }
}
