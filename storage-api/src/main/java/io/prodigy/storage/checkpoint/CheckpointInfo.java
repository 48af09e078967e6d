package io.prodigy.storage.checkpoint;

import io.prodigy.storage.support.InstantRange;
import java.time.Instant;

/**
 * A checkpoint's summary, without its state (spec 093 {@code CheckpointInfo}).
 *
 * @param sizeBytes size of the stored representation, in bytes
 */
public record CheckpointInfo(
        String id, CheckpointScope scope, CheckpointKind kind, Instant createdAt, int stepIndex, long sizeBytes,
        long revision) {

    public CheckpointInfo {
        createdAt = InstantRange.normalize(createdAt);
    }
}
