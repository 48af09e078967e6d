package io.prodigy.storage.bench.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where benchmarks put their files. Scratch directories live under {@code -Dbench.workDir} (default: the JVM's temp
 * directory) and are deleted at the end of each trial; the query data sets live under {@code -Dbench.dataDir} and are
 * reused between forks and runs, because building a million-event job takes longer than measuring it.
 */
public final class BenchDirs {

    private BenchDirs() {}

    /** A fresh, empty scratch directory. Delete it with {@link #deleteRecursively}. */
    public static Path newScratchDir(String prefix) {
        try {
            Path root = Path.of(System.getProperty("bench.workDir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(root);
            return Files.createTempDirectory(root, "prodigy-bench-" + prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a scratch directory; set -Dbench.workDir to a writable"
                    + " directory", e);
        }
    }

    /** The directory holding reusable data sets ({@code -Dbench.dataDir}, default {@code <tmp>/prodigy-bench-data}). */
    public static Path dataDir() {
        String configured = System.getProperty("bench.dataDir");
        Path dir = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "prodigy-bench-data");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the data directory " + dir, e);
        }
    }

    /** Deletes {@code dir} and everything below it; a missing directory is fine. */
    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dir, e);
        }
    }

    /** Total size in bytes of the regular files below {@code dir}. */
    public static long sizeOf(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted while walking (rotation, temp files): not part of the store any more
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not measure " + dir, e);
        }
    }
}
