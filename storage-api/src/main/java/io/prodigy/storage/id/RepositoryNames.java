package io.prodigy.storage.id;

import io.prodigy.storage.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Derives the repository name under which a project's events, DLQ items and job checkpoints are stored (spec 058):
 * canonicalize the project path (resolving symlinks), then take its last path component. If the path cannot be
 * canonicalized (it does not exist), the absolute, normalized path is used instead, as the original tool does.
 *
 * <p>A command run in a subdirectory of a project belongs to the project: {@link #projectRoot(Path)} walks up to the
 * repository root first, so {@code repo/src} and a symlink into {@code repo} both name {@code repo}.
 *
 * <p>Two checkouts whose directories share a name share a repository name; this matches the original tool and keeps
 * its data readable.
 */
public final class RepositoryNames {

    private RepositoryNames() {}

    /**
     * @throws InvalidInputException if the path has no last component (the file system root) or it is not a valid id
     */
    public static String fromPath(Path projectPath) {
        Path resolved;
        try {
            resolved = projectPath.toRealPath();
        } catch (IOException e) {
            resolved = projectPath.toAbsolutePath().normalize();
        }
        Path name = resolved.getFileName();
        if (name == null) {
            throw new InvalidInputException("Could not determine repository name from path '" + projectPath
                    + "': it has no last component. Run from the project directory, or pass the repository name.");
        }
        return Ids.check("repository name (from " + projectPath + ")", name.toString());
    }

    /**
     * The project a directory belongs to: the nearest directory at or above it (after resolving symlinks) that
     * contains {@code .git} (a directory, or the file of a worktree or submodule), else the directory itself.
     */
    public static Path projectRoot(Path dir) {
        Path start;
        try {
            start = dir.toRealPath();
        } catch (IOException e) {
            start = dir.toAbsolutePath().normalize();
        }
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                return p;
            }
        }
        return start;
    }

    /** The repository name of the project {@code workingDir} belongs to: {@code fromPath(projectRoot(workingDir))}. */
    public static String fromWorkingDirectory(Path workingDir) {
        return fromPath(projectRoot(workingDir));
    }
}
