package io.prodigy.storage.core.layer.cache;

import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;

/** Keys of the read cache; one cache holds all three stores' entries, so {@code max_entries} bounds them together. */
sealed interface CacheKey {

    record Session(String id) implements CacheKey {}

    record Workflow(String id) implements CacheKey {}

    /** A checkpoint by id within its scope. */
    record Checkpoint(CheckpointScope scope, String id) implements Scoped {}

    /** The newest checkpoint of a scope; {@code kind} {@code null} means of any kind. */
    record LatestCheckpoint(CheckpointScope scope, CheckpointKind kind) implements Scoped {}

    /** Keys that belong to a checkpoint scope, so that a prune can drop them together. */
    sealed interface Scoped extends CacheKey {
        CheckpointScope scope();
    }
}
