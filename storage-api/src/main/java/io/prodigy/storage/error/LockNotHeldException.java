package io.prodigy.storage.error;

/**
 * An extend or release was attempted with a lease that is no longer the live lease for its key: it expired and was
 * taken over, was force-released, or never existed. Not retryable.
 */
public class LockNotHeldException extends StorageException {

    private final String lockKey;

    public LockNotHeldException(String lockKey, String detail) {
        super("Lock '" + lockKey + "' is not held by this lease: " + detail
                + ". Acquire the lock again before continuing the guarded work.");
        this.lockKey = lockKey;
    }

    public String lockKey() {
        return lockKey;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
