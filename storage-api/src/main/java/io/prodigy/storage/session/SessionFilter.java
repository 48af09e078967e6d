package io.prodigy.storage.session;

import java.time.Instant;

/**
 * Which sessions {@link SessionStorage#list} returns. Every field is optional ({@code null} means no constraint);
 * {@code after}/{@code before} bound {@code startedAt} (exclusive). Results are ordered by {@code startedAt}, then id.
 *
 * @param limit maximum number of results; 0 means no limit
 */
public record SessionFilter(SessionState state, Instant after, Instant before, String worktreeName, int limit) {

    public static final SessionFilter ALL = new SessionFilter(null, null, null, null, 0);

    public SessionFilter {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
    }

    public SessionFilter withState(SessionState s) {
        return new SessionFilter(s, after, before, worktreeName, limit);
    }

    public SessionFilter withAfter(Instant t) {
        return new SessionFilter(state, t, before, worktreeName, limit);
    }

    public SessionFilter withBefore(Instant t) {
        return new SessionFilter(state, after, t, worktreeName, limit);
    }

    public SessionFilter withWorktreeName(String name) {
        return new SessionFilter(state, after, before, name, limit);
    }

    public SessionFilter withLimit(int n) {
        return new SessionFilter(state, after, before, worktreeName, n);
    }

    /** Whether {@code s} passes every constraint but the limit. */
    public boolean matches(PersistedSession s) {
        return (state == null || s.state() == state)
                && (after == null || s.startedAt().isAfter(after))
                && (before == null || s.startedAt().isBefore(before))
                && (worktreeName == null || worktreeName.equals(s.worktreeName()));
    }
}
