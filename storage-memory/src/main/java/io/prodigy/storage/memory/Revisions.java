package io.prodigy.storage.memory;

import io.prodigy.storage.error.VersionConflictException;

/** The optimistic-concurrency rule shared by sessions, checkpoints and workflow definitions. */
final class Revisions {

    private Revisions() {}

    /**
     * Checks a write of a record presented with revision {@code presented} against the stored revision.
     * Revision 0 creates and needs the key to be absent; a positive revision must equal the stored one.
     *
     * @param stored the stored revision, or 0 if nothing is stored under the key
     * @return the revision the write stores
     * @throws VersionConflictException naming the key and both revisions
     */
    static long next(String kind, String key, long presented, long stored) {
        if (presented != stored) {
            throw new VersionConflictException(kind, key, presented, stored);
        }
        return stored + 1;
    }
}
