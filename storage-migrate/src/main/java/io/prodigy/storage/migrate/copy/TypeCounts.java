package io.prodigy.storage.migrate.copy;

/**
 * What a copy did for one record type.
 *
 * @param total          records in the source
 * @param copied         written to the target (in a dry run: that would be)
 * @param alreadyPresent already in the target, identical (a resumed copy); not written again
 * @param conflicts      in the target with different content; left alone
 * @param bytes          size of the source records handled, as JSON
 */
public record TypeCounts(long total, long copied, long alreadyPresent, long conflicts, long bytes) {}
