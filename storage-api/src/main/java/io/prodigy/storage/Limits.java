package io.prodigy.storage;

import io.prodigy.storage.error.InvalidInputException;

/**
 * The largest requests a storage accepts ({@link UnifiedStorage#limits()}). {@link #DEFAULT} holds on every backend
 * unless the backend documents a lower value (a server's message or bind-parameter limit, an object size). A request
 * beyond a limit fails with {@link InvalidInputException} and stores nothing; split it and send the parts.
 *
 * @param maxBatchSize      most events in one {@code events.append}
 * @param maxClaimSize      most items in one {@code dlq.claim}
 * @param maxPayloadBytes   largest JSON payload (event data, checkpoint state, workflow content, DLQ work item), in
 *                          UTF-8 bytes of its compact JSON
 * @param maxFailureHistory most failures kept in a DLQ item's history; older ones are dropped (its retry count
 *                          still counts them)
 */
public record Limits(int maxBatchSize, int maxClaimSize, int maxPayloadBytes, int maxFailureHistory) {

    /** What every backend accepts unless it documents less. */
    public static final Limits DEFAULT = new Limits(10_000, 1_000, 16 * 1024 * 1024, 100);

    public Limits {
        if (maxBatchSize < 1 || maxClaimSize < 1 || maxPayloadBytes < 1 || maxFailureHistory < 1) {
            throw new IllegalArgumentException("every limit must be at least 1: " + maxBatchSize + ", "
                    + maxClaimSize + ", " + maxPayloadBytes + ", " + maxFailureHistory);
        }
    }

    /** @throws InvalidInputException if an append of {@code events} events is over {@link #maxBatchSize()} */
    public void checkBatch(int events) {
        if (events > maxBatchSize) {
            throw new InvalidInputException("An append of " + events + " events is over this store's limit of "
                    + maxBatchSize + " per call; nothing was stored. Append them in batches of at most "
                    + maxBatchSize + ".");
        }
    }

    /** @throws InvalidInputException if a claim of {@code items} items is over {@link #maxClaimSize()} */
    public void checkClaim(int items) {
        if (items > maxClaimSize) {
            throw new InvalidInputException("A claim of " + items + " DLQ items is over this store's limit of "
                    + maxClaimSize + " per call. Claim at most " + maxClaimSize + " at a time.");
        }
    }

    /**
     * @param what  the payload, for the message ({@code "event data"})
     * @param bytes its size as compact UTF-8 JSON
     * @throws InvalidInputException if it is over {@link #maxPayloadBytes()}
     */
    public void checkPayload(String what, long bytes) {
        if (bytes > maxPayloadBytes) {
            throw new InvalidInputException("The " + what + " is " + bytes + " bytes, over this store's limit of "
                    + maxPayloadBytes + " bytes; nothing was stored. Keep large content outside the store and record"
                    + " a reference to it.");
        }
    }
}
