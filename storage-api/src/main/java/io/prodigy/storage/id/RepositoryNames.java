package io.prodigy.storage.id;

import io.prodigy.storage.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Derives the repository name under which a project's events, DLQ items and job checkpoints are stored (spec 058):
 * canonicalize the project path (resolving symlinks), then take its last path component. If the path cannot be
 * canonicalized (it does not exist), the absolute, normalized path is used instead, as the original tool does.
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
}
