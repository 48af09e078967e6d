/**
 * The optimistic-concurrency rule of versioned records, shared by every backend
 * ({@link io.prodigy.storage.support.revision.Revisions}).
 */
package io.prodigy.storage.support.revision;
