package io.prodigy.storage.file.io;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Owner-only permissions (directories 0700, files 0600) where the file system supports POSIX attributes, and durable
 * directory creation: every directory this backend creates has its parent fsync'ed, so a new job directory survives a
 * crash together with the first record written into it.
 */
public final class FileModes {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<?>[] DIR_ATTRS = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
            : new FileAttribute<?>[0];
    private static final FileAttribute<?>[] FILE_ATTRS = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];

    private FileModes() {}

    public static boolean posix() {
        return POSIX;
    }

    /** Attributes for a new file: 0600 where supported. */
    public static FileAttribute<?>[] fileAttributes() {
        return FILE_ATTRS.clone();
    }

    /**
     * Creates {@code dir} and its missing ancestors with mode 0700, fsync'ing each parent whose entries changed.
     * Safe against concurrent creators (another process creating the same directory is fine).
     */
    public static void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p, DIR_ATTRS);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
            }
            if (p.getParent() != null) {
                AtomicFiles.fsyncDirectory(p.getParent());
            }
        }
    }

    /** Whether the owner write bit is set (root ignores permission bits, so a probe write alone is not enough). */
    public static boolean ownerWritable(Path dir) throws IOException {
        if (!POSIX) {
            return Files.isWritable(dir);
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        return perms.contains(PosixFilePermission.OWNER_WRITE) && perms.contains(PosixFilePermission.OWNER_EXECUTE)
                && Files.isWritable(dir);
    }
}
