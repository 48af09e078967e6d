package io.prodigy.storage.error;

import java.time.Duration;

/**
 * A blocking acquire waited its whole budget and the lock stayed taken. Not retried automatically: waiting longer is
 * the caller's decision.
 */
public class LockTimeoutException extends StorageException {

    private final String lockKey;

    public LockTimeoutException(String lockKey, Duration waited, String holderDescription) {
        super("Failed to acquire storage lock '" + lockKey + "' within " + waited + ": held by " + holderDescription
                + ". Wait for it to expire, check for stuck processes, or release it with"
                + " 'prodigy-storage locks release " + lockKey + " --force' if the holder is gone.");
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
