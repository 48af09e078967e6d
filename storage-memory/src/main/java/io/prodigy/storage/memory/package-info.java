/**
 * The {@code memory} backend: a faithful in-memory implementation of the storage SPI.
 *
 * <p>Entry points: {@link io.prodigy.storage.memory.MemoryStorageProvider} (found through {@code ServiceLoader} as
 * {@code memory}), {@link io.prodigy.storage.memory.MemoryStorage#open} and its typed configuration
 * {@link io.prodigy.storage.memory.MemoryConfig}.
 *
 * <p>How it is built: one class per store ({@code MemorySessionStorage}, {@code MemoryEventStorage} with a
 * copy-on-write {@code EventLog} per job, {@code MemoryCheckpointStorage}, {@code MemoryDlqStorage},
 * {@code MemoryWorkflowStorage}, and {@code MemoryLeaseStore}, the lock rows under the shared
 * {@link io.prodigy.storage.support.lease.LeaseLockService}), each behind its own lock; {@code StoreState} shares the
 * clock, the open/closed state and the quiesce lock that lets a snapshot see every store at one instant;
 * {@code MemoryBudget} and {@code SizedMap} enforce {@code max_memory}; {@code Copies} deep-copies JSON trees in and
 * out; {@code SnapshotFile} writes and reads the atomic snapshot ({@code MemorySnapshot}).
 */
package io.prodigy.storage.memory;
