package io.prodigy.storage.redis;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.lock.Fence;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned, fenced records (sessions, checkpoints, workflow definitions), written once for all three: one script
 * checks the fence and the revision, writes the body, stamps, and moves the index entries ({@code rec_save.lua},
 * {@code rec_delete.lua}).
 */
final class Records {

    /** What a successful save stored. */
    record Saved(long revision, long stampMicros) {}

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
     * @throws VersionConflictException if the stored revision is not {@code expectedRevision}
     * @throws FencingException         if {@code fence} is stale
     */
    Saved save(String kind, String id, String recordKey, Fence fence, long expectedRevision, String body,
            IndexEntries index, String... extra) {
        List<String> args = new ArrayList<>(6 + extra.length);
        args.add(client.nowArg());
        args.add(fenceToken(fence));
        args.add(Long.toString(expectedRevision));
        args.add(body);
        args.add(index.encoded());
        args.addAll(List.of(extra));
        Reply r = Reply.of(client.script("saving " + kind + " '" + id + "'", Script.REC_SAVE,
                List.of(recordKey, fenceKey(fence)), args));
        switch (r.status()) {
            case "OK" -> {
                return new Saved(r.number(1), r.number(2));
            }
            case "FENCED" -> throw new FencingException(id, fence.lockKey(), fence.token(), r.number(1));
            default -> throw new VersionConflictException(kind, id, expectedRevision, r.number(1));
        }
    }

    /**
     * Deletes a record with its index entries and {@code alsoDelete}.
     *
     * @return whether it existed
     */
    boolean delete(String kind, String id, String recordKey, Fence fence, String... alsoDelete) {
        List<String> k = new ArrayList<>(2 + alsoDelete.length);
        k.add(recordKey);
        k.add(fenceKey(fence));
        k.addAll(List.of(alsoDelete));
        Reply r = Reply.of(client.script("deleting " + kind + " '" + id + "'", Script.REC_DELETE, k,
                List.of(fenceToken(fence))));
        if (r.is("FENCED")) {
            throw new FencingException(id, fence.lockKey(), fence.token(), r.number(1));
        }
        return r.number(1) == 1;
    }

    /** The lock hash a fence is checked against; the store's marker (never a lock) when there is no fence. */
    String fenceKey(Fence fence) {
        return fence == null || fence.isNone() ? keys.meta() : keys.lock(fence.lockKey());
    }

    static String fenceToken(Fence fence) {
        return fence == null || fence.isNone() ? "0" : Long.toString(fence.token());
    }
}
