package io.prodigy.storage.error;

/**
 * A write carried a fencing token that is not the lock's current one: a newer lease was issued for the lock key since
 * the writer acquired its own (the writer may be a zombie, paused past its TTL), its lease was force-released, or the
 * token was never granted at all. The write changed nothing.
 */
public class FencingException extends ConflictException {

    private final String lockKey;
    private final long presentedToken;
    private final long currentToken;

    /** A token superseded by a later grant of {@code currentToken}. */
    public FencingException(String recordKey, String lockKey, long presentedToken, long currentToken) {
        this(recordKey, lockKey, presentedToken, currentToken,
                "is stale (the lock has since been granted with token " + currentToken + ")");
    }

    /**
     * A token rejected for {@code reason}, which completes "fencing token N for lock 'k' ..." (for example
     * {@code "was revoked when the lease was force-released"}).
     *
     * @param currentToken the highest token granted for the lock, 0 if none was
     */
    public FencingException(String recordKey, String lockKey, long presentedToken, long currentToken, String reason) {
        super(recordKey, "Rejected write to '" + recordKey + "': fencing token " + presentedToken + " for lock '"
                + lockKey + "' " + reason + ". This writer does not hold the lock; stop and re-acquire it before"
                + " writing.");
        this.lockKey = lockKey;
        this.presentedToken = presentedToken;
        this.currentToken = currentToken;
    }

    public String lockKey() {
        return lockKey;
    }

    public long presentedToken() {
        return presentedToken;
    }

    /** The highest token granted for the lock when the write was rejected (0 if none was). */
    public long currentToken() {
        return currentToken;
    }
}
