package io.prodigy.storage.file.io;

import io.prodigy.storage.error.CorruptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store never follows a symbolic link inside itself. Every file and directory it creates is a real one, so a link
 * below the base directory was put there by someone else: following it would let that someone redirect a truncate,
 * rename, rewrite or delete to a file outside the store (or to a file they could not write themselves). A link where
 * a file or directory should be is therefore reported as corruption, and nothing is done through it.
 *
 * <p>The base directory itself may be a link (a home directory on another volume is common); only what is below it
 * is checked. Store roots are registered when a store is opened; a path outside every root is only checked itself.
 */
public final class NoLinks {

    /** What a directory entry is, without following links. */
    public enum Kind { MISSING, FILE, DIRECTORY, LINK, OTHER }

    private static final Set<Path> ROOTS = ConcurrentHashMap.newKeySet();

    private NoLinks() {}

    /** Registers the base directory of an opened store: paths below it are checked component by component. */
    public static void addRoot(Path base) {
        ROOTS.add(base.toAbsolutePath().normalize());
    }

    /** What {@code p} is, not following a final link. */
    public static Kind kindOf(Path p) throws IOException {
        return kindOf(attributesOf(p));
    }

    /** The attributes of {@code p} itself (a link is not followed), or {@code null} if it does not exist. */
    public static BasicFileAttributes attributesOf(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** What an entry with attributes {@code a} ({@code null}: missing) is. */
    public static Kind kindOf(BasicFileAttributes a) {
        if (a == null) {
            return Kind.MISSING;
        }
        if (a.isSymbolicLink()) {
            return Kind.LINK;
        }
        return a.isRegularFile() ? Kind.FILE : a.isDirectory() ? Kind.DIRECTORY : Kind.OTHER;
    }

    /**
     * Checks that neither {@code p} nor any of its ancestors below the store root is a symbolic link. Components that
     * do not exist yet are fine (they will be created as real ones).
     *
     * @return what {@code p} itself is ({@link Kind#MISSING} if it or an ancestor does not exist), from the same
     *         {@code lstat} calls, so that a caller needs no further system call to tell a directory from a file
     * @throws CorruptionException naming the link
     */
    public static Kind check(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path root = rootOf(abs);
        try {
            if (root == null) {
                Kind k = kindOf(abs);
                if (k == Kind.LINK) {
                    throw linkFound(abs);
                }
                return k;
            }
            if (abs.equals(root)) {
                // The base directory may itself be a link (see the class comment): what it points to counts.
                return Files.isDirectory(root) ? Kind.DIRECTORY : Files.exists(root) ? Kind.OTHER : Kind.MISSING;
            }
            Path cur = root;
            Kind k = Kind.DIRECTORY;
            for (Path name : root.relativize(abs)) {
                cur = cur.resolve(name);
                k = kindOf(cur);
                if (k == Kind.MISSING) {
                    return k;
                }
                if (k == Kind.LINK) {
                    throw linkFound(cur);
                }
            }
            return k;
        } catch (IOException e) {
            throw IoErrors.translate("checking", abs, e);
        }
    }

    /** The error for a link found where the store expects its own file or directory. */
    public static CorruptionException linkFound(Path link) {
        String target;
        try {
            target = " -> " + Files.readSymbolicLink(link);
        } catch (IOException | UnsupportedOperationException e) {
            target = "";
        }
        return new CorruptionException("'" + link + "'" + target + " is a symbolic link inside the storage directory,"
                + " where the store keeps only its own files and directories. The store never follows links inside"
                + " itself, so nothing was read or changed through it. Someone else may have placed it there: check"
                + " who can write to the storage directory (it should be 'chmod 700'), then remove the link and"
                + " restore the original entry from a backup if needed.");
    }

    /** The error for something other than a regular file where a record or segment file should be. */
    public static CorruptionException notAFile(Path p, Kind kind) {
        if (kind == Kind.LINK) {
            return linkFound(p);
        }
        return new CorruptionException("'" + p + "' is " + (kind == Kind.DIRECTORY ? "a directory" : "not a regular"
                + " file") + " where the store expects one of its files. It was not read or changed. Move it out of the"
                + " storage directory.");
    }

    private static Path rootOf(Path abs) {
        Path best = null;
        for (Path r : ROOTS) {
            if (abs.startsWith(r) && (best == null || r.getNameCount() > best.getNameCount())) {
                best = r;
            }
        }
        return best;
    }
}
