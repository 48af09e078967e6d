package io.prodigy.storage.error;

/**
 * A write lost a race: the record changed since it was read, the id already exists, or the writer's fencing token has
 * been superseded. Never retried by the retry layer: the caller must reload and decide.
 */
public class ConflictException extends StorageException {

    private final String key;

    public ConflictException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The key of the record the conflict is about. */
    public String key() {
        return key;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
