package io.prodigy.storage.file.io;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
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
        if (NoLinks.check(dir) == NoLinks.Kind.DIRECTORY) {
            return; // the common case: one lstat per path component, nothing else
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
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
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

    /**
     * Why {@code base} must not be used as a store, or {@code null} if it is safe: like OpenSSH with {@code ~/.ssh}
     * and PostgreSQL with its data directory, a base directory that another user could write to (group- or
     * world-writable, or owned by someone else) is refused, because whoever can write there can replace the store's
     * entries and redirect this process's writes.
     *
     * @param perms the directory's permission bits
     * @param owner the directory's owner
     * @param me    the owner of a file this process just created (its effective user)
     */
    public static String unsafeBaseDir(Path base, Set<PosixFilePermission> perms, UserPrincipal owner,
            UserPrincipal me) {
        if (!owner.equals(me)) {
            return "The storage directory '" + base + "' is owned by '" + owner.getName() + "', not by '"
                    + me.getName() + "' who runs this process. Another user could replace the store's files and"
                    + " redirect this process's writes. Use a directory of your own (set storage.backend_config.base_dir"
                    + " or PRODIGY_HOME), or take it over with 'chown -R " + me.getName() + " " + base + "' and"
                    + " 'chmod 700 " + base + "'.";
        }
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            return "The storage directory '" + base + "' is writable by " + (perms.contains(
                    PosixFilePermission.OTHERS_WRITE) ? "every user" : "its group") + " (mode "
                    + PosixFilePermissions.toString(perms) + "). Another user could replace the store's files and"
                    + " redirect this process's writes, so it is refused. Fix it with 'chmod 700 " + base + "'.";
        }
        return null;
    }

    /** {@link #unsafeBaseDir(Path, Set, UserPrincipal, UserPrincipal)} for a real directory; {@code probe} is a file
     * this process created in it. Always {@code null} where the file system has no POSIX attributes. */
    public static String unsafeBaseDir(Path base, Path probe) throws IOException {
        if (!POSIX) {
            return null;
        }
        return unsafeBaseDir(base, Files.getPosixFilePermissions(base, LinkOption.NOFOLLOW_LINKS),
                Files.getOwner(base), Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS));
    }
}
