package io.prodigy.storage.checkpoint;

import java.time.Instant;

/**
 * Which checkpoints {@link CheckpointStorage#list} returns. All fields optional; {@code after}/{@code before} bound
 * {@code createdAt} (exclusive); {@code limit} 0 means no limit.
 *
 * @param repository only job checkpoints of this repository (ignored when {@code scope} is set)
 */
public record CheckpointFilter(
        CheckpointScope scope, String repository, CheckpointKind kind, Instant after, Instant before, int limit) {

    public static final CheckpointFilter ALL = new CheckpointFilter(null, null, null, null, null, 0);

    public CheckpointFilter {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
    }

    public static CheckpointFilter forScope(CheckpointScope scope) {
        return new CheckpointFilter(scope, null, null, null, null, 0);
    }

    public CheckpointFilter withKind(CheckpointKind k) {
        return new CheckpointFilter(scope, repository, k, after, before, limit);
    }

    public CheckpointFilter withAfter(Instant t) {
        return new CheckpointFilter(scope, repository, kind, t, before, limit);
    }

    public CheckpointFilter withBefore(Instant t) {
        return new CheckpointFilter(scope, repository, kind, after, t, limit);
    }

    public CheckpointFilter withLimit(int n) {
        return new CheckpointFilter(scope, repository, kind, after, before, n);
    }

    public boolean matches(CheckpointInfo c) {
        return (scope == null || scope.equals(c.scope()))
                && (scope != null || repository == null
                        || (c.scope().isJob() && c.scope().job().repository().equals(repository)))
                && (kind == null || kind == c.kind())
                && (after == null || c.createdAt().isAfter(after))
                && (before == null || c.createdAt().isBefore(before));
    }
}
