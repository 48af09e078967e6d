package io.prodigy.storage.event;

import io.prodigy.storage.id.JobRef;

/**
 * What an append stored.
 *
 * @param job           the job appended to
 * @param firstSequence sequence of the first stored event (0 if nothing was stored)
 * @param lastSequence  sequence of the last stored event; the job's last sequence after the append
 * @param appended      how many events were stored
 * @param duplicates    how many were dropped because an event with the same id was already stored
 *                      (only on backends with {@link io.prodigy.storage.Capability#IDEMPOTENT_APPEND})
 */
public record AppendResult(JobRef job, long firstSequence, long lastSequence, int appended, int duplicates) {}
