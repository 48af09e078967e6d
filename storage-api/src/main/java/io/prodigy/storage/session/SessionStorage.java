package io.prodigy.storage.session;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import java.util.List;
import java.util.Optional;

/**
 * Global session records.
 *
 * <p><b>Atomicity.</b> Each call is atomic: a reader sees a session as it was before or after a write, never a mix.
 * <p><b>Concurrency.</b> Writes are optimistic. {@link #save} with revision 0 creates and fails with a
 * {@link VersionConflictException} if the id exists; with revision {@code n > 0} it updates only if the stored
 * revision is {@code n}. Every successful write stores revision {@code n + 1} and returns the stored copy. A save
 * that finds the stored session at {@code n + 1} stored by its own write (same {@link PersistedSession#writeId()}: a
 * retry after a lost reply) returns it instead of a conflict
 * ({@link io.prodigy.storage.support.revision.Revisions}).
 * <p><b>Fencing.</b> Mutating calls accept a {@link Fence}; if a newer lease was issued for the fence's lock key, the
 * call fails with {@link FencingException} and changes nothing.
 * <p><b>Ordering.</b> Listings order by {@code startedAt}, then id by UTF-8 bytes
 * ({@link io.prodigy.storage.support.Orders#SESSIONS}).
 */
public interface SessionStorage {

    /**
     * Creates ({@code revision == 0}) or updates (matching revision) a session.
     *
     * @return the stored copy, with its new revision and {@code updatedAt}
     * @throws VersionConflictException if the id exists on create, or the revision is stale on update
     * @throws FencingException         if {@code fence} is stale
     */
    PersistedSession save(PersistedSession session, Fence fence);

    /** {@link #save(PersistedSession, Fence)} without fencing. */
    default PersistedSession save(PersistedSession session) {
        return save(session, Fence.NONE);
    }

    /** The stored session, or empty if none has this id. */
    Optional<PersistedSession> load(String id);

    /**
     * One page of the sessions matching {@code filter}, oldest first ({@code startedAt}, then id by UTF-8 bytes).
     *
     * <p>Each page is read on its own (a walk is not a snapshot): a session that exists, matches and is not changed
     * during the whole walk is returned exactly once; one created or deleted meanwhile may or may not be. The
     * filter's {@code limit} does not apply here (the request's limit sizes the page; {@link #list(SessionFilter)}
     * applies it to the whole walk).
     *
     * @param filter what to list; {@code null} lists all
     * @throws InvalidInputException if {@code page} is missing or its cursor is not one of this listing's
     */
    Page<PersistedSession> list(SessionFilter filter, PageRequest page);

    /**
     * Sessions matching {@code filter}, oldest first, at most {@code filter.limit()} of them (0: all): a walk of
     * {@link #list(SessionFilter, PageRequest)}. Prefer paging when the store may be large.
     */
    default List<PersistedSession> list(SessionFilter filter) {
        SessionFilter f = filter == null ? SessionFilter.ALL : filter;
        return Pages.all(f.limit(), page -> list(f, page));
    }

    /**
     * Deletes the session.
     *
     * @return {@code true} if it existed
     */
    boolean delete(String id, Fence fence);

    default boolean delete(String id) {
        return delete(id, Fence.NONE);
    }

    /**
     * Atomically sets the state of the stored session, whatever its revision, and bumps the revision.
     *
     * @return the stored copy
     * @throws NotFoundException  if there is no such session
     * @throws FencingException  if {@code fence} is stale
     */
    PersistedSession updateState(String id, SessionState state, Fence fence);

    default PersistedSession updateState(String id, SessionState state) {
        return updateState(id, state, Fence.NONE);
    }
}
