package io.prodigy.storage.redis;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.lock.Fence;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned, fenced records (sessions, checkpoints, workflow definitions), written once for all three: one script
 * checks the fence and the revision, writes the body, stamps, and moves the index entries ({@code rec_save.lua},
 * {@code rec_delete.lua}).
 */
final class Records {

    /**
     * What a save found: the stored revision and stamp if it wrote, else ({@link #current} present) the version it
     * found instead, for the shared rule ({@link io.prodigy.storage.support.revision.Revisions}) to tell a retry of
     * the same write from a conflict.
     *
     * @param current {@code null} if written; else the stored {@code body} (null if none), {@code upd}, then the
     *                extra fields' values
     */
    record Saved(long revision, long stampMicros, List<String> current) {

        boolean written() {
            return current == null;
        }
    }

    private final RedisClient client;
    private final Keys keys;

    Records(RedisClient client, Keys keys) {
        this.client = client;
        this.keys = keys;
    }

    /**
     * @param kind       record kind for messages ({@code session})
     * @param id         the record's id for messages
     * @param recordKey  its hash
     * @param extra      more hash fields, as name/value pairs
     * @throws FencingException if {@code fence} may not write
     */
    Saved save(String kind, String id, String recordKey, Fence fence, long expectedRevision, String body,
            IndexEntries index, String... extra) {
        List<String> args = new ArrayList<>(6 + extra.length);
        args.add(client.nowArg());
        args.add(Fences.token(fence));
        args.add(Long.toString(expectedRevision));
        args.add(body);
        args.add(index.encoded());
        args.addAll(List.of(extra));
        Reply r = Reply.of(client.script("saving " + kind + " '" + id + "'", Script.REC_SAVE,
                List.of(recordKey, Fences.key(keys, fence)), args));
        Fences.throwIfFenced(r, fence, kind + " '" + id + "'");
        if (r.is("OK")) {
            return new Saved(r.number(1), r.number(2), null);
        }
        List<String> current = new ArrayList<>(r.size() - 2);
        for (int i = 2; i < r.size(); i++) {
            current.add(r.string(i));
        }
        return new Saved(r.number(1), 0, current);
    }

    /**
     * Deletes a record with its index entries and {@code alsoDelete}.
     *
     * @return whether it existed
     */
    boolean delete(String kind, String id, String recordKey, Fence fence, String... alsoDelete) {
        List<String> k = new ArrayList<>(2 + alsoDelete.length);
        k.add(recordKey);
        k.add(Fences.key(keys, fence));
        k.addAll(List.of(alsoDelete));
        Reply r = Reply.of(client.script("deleting " + kind + " '" + id + "'", Script.REC_DELETE, k,
                List.of(Fences.token(fence))));
        Fences.throwIfFenced(r, fence, kind + " '" + id + "'");
        return r.number(1) == 1;
    }
}
