package io.prodigy.storage.error;

/**
 * A write carried a fencing token that has been superseded: a newer lease was issued for the lock key since the writer
 * acquired its own, so the writer may be a zombie (paused past its TTL). The write changed nothing.
 */
public class FencingException extends ConflictException {

    private final String lockKey;
    private final long presentedToken;
    private final long currentToken;

    public FencingException(String recordKey, String lockKey, long presentedToken, long currentToken) {
        super(recordKey, "Rejected write to '" + recordKey + "': fencing token " + presentedToken + " for lock '"
                + lockKey + "' is stale (the lock has since been granted with token " + currentToken
                + "). This writer no longer holds the lock; stop and re-acquire it before writing.");
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

    public long currentToken() {
        return currentToken;
    }
}
