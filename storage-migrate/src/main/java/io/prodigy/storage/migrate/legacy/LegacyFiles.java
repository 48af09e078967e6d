package io.prodigy.storage.migrate.legacy;

import io.prodigy.storage.migrate.MigrationException;
import io.prodigy.storage.migrate.verify.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file operations of a legacy migration: a verified backup copy, moving the data entries aside, and putting them
 * back. Symbolic links are copied and moved as links, never followed.
 */
class LegacyFiles {

    /**
     * Copies {@code dir} to a new directory {@code parent/name} (or {@code name-2}, … if taken) and checks that the
     * copy has the same files with the same bytes.
     */
    Path backup(Path dir, Path parent, String name) {
        Path target;
        try {
            Files.createDirectories(parent);
            target = createUnique(parent, name);
            copyTree(dir, target);
        } catch (IOException e) {
            throw new MigrationException("Could not back up " + dir + " to " + parent + ": " + e.getMessage()
                    + ". Check free space and permissions there (or choose another backup directory); nothing was"
                    + " migrated and the local data is unchanged.", e);
        }
        String original = treeDigest(dir);
        String copy = treeDigest(target);
        if (!original.equals(copy)) {
            throw new MigrationException("The backup " + target + " of " + dir + " does not match the original"
                    + " (was it changed while being copied?). Nothing was migrated; the local data is unchanged.");
        }
        return target;
    }

    /**
     * Moves {@code entries} (children of one directory) into a new sibling directory of that directory named
     * {@code name} (or {@code name-2}, …). All or nothing: if one move fails, the ones already done are moved back.
     *
     * @return the new directory
     */
    Path moveAside(List<Path> entries, Path parentOfLegacyDir, String name) throws IOException {
        Path target = createUnique(parentOfLegacyDir, name);
        List<Path> moved = new ArrayList<>();
        try {
            for (Path entry : entries) {
                move(entry, target.resolve(entry.getFileName().toString()));
                moved.add(entry);
            }
            return target;
        } catch (IOException | RuntimeException e) {
            for (Path entry : moved) {
                try {
                    move(target.resolve(entry.getFileName().toString()), entry);
                } catch (IOException | RuntimeException back) {
                    e.addSuppressed(back);
                }
            }
            try {
                Files.deleteIfExists(target);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** One rename; a separate method so tests can make it fail. */
    void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Copies back from {@code backup} every entry of {@code names} that is missing in {@code legacyDir}. */
    void restoreMissing(Path backup, Path legacyDir, List<String> names) throws IOException {
        Files.createDirectories(legacyDir);
        for (String name : names) {
            Path entry = legacyDir.resolve(name);
            if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                Path source = backup.resolve(name);
                if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                    copyTree(source, entry);
                } else {
                    Files.copy(source, entry, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Whether {@code dir} holds no entries at all. */
    static boolean isEmptyDir(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Whether {@code dir} holds at least one regular file, at any depth. */
    static boolean hasFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 over every file's relative path and content, and every link's target, in path order. */
    static String treeDigest(Path dir) {
        MessageDigest digest = CanonicalJson.newDigest();
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = walk.sorted().toList();
            for (Path p : paths) {
                String rel = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    digest.update(("L " + rel + " -> " + Files.readSymbolicLink(p) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                } else if (Files.isRegularFile(p)) {
                    digest.update(("F " + rel + " " + Files.size(p) + "\n").getBytes(StandardCharsets.UTF_8));
                    try (InputStream in = Files.newInputStream(p)) {
                        byte[] buf = new byte[64 * 1024];
                        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                            digest.update(buf, 0, n);
                        }
                    }
                } else if (Files.isDirectory(p)) {
                    digest.update(("D " + rel + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Path createUnique(Path parent, String name) throws IOException {
        for (int i = 1; ; i++) {
            Path candidate = parent.resolve(i == 1 ? name : name + "-" + i);
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException taken) {
                // try the next suffix
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                if (!Files.isDirectory(target)) {
                    Files.createDirectory(target);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
