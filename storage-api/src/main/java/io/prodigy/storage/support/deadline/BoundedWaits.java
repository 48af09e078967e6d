package io.prodigy.storage.support.deadline;

/**
 * Declared by a {@link io.prodigy.storage.UnifiedStorage} whose calls can be bounded without a second thread: every
 * point at which one of its calls waits for something other than its own work (a lock another thread or process
 * holds, a lease, a claim) gives up once the {@link CallDeadline} of the call has passed, by throwing
 * {@link CallDeadline#exceeded}. Its own work (in-memory steps, local disk reads and writes) is not interrupted: a
 * timeout could not cancel it either, only stop waiting for it.
 *
 * <p>The timeout layer of storage-core runs the calls of such a backend on the caller's thread with the deadline set,
 * instead of handing each call to a pool thread and waiting for it: the hand-off costs more than a fast call itself.
 * A backend whose calls may block on something it cannot bound (a network round trip without a socket timeout) must
 * not declare it.
 */
public interface BoundedWaits {}
