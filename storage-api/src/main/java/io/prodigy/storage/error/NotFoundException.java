package io.prodigy.storage.error;

/** The record named by the call does not exist. Not retryable. */
public class NotFoundException extends StorageException {

    private final String kind;
    private final String key;

    public NotFoundException(String kind, String key) {
        super(kind + " '" + key + "' does not exist. Check the id, or list the " + kind + "s to see what is stored.");
        this.kind = kind;
        this.key = key;
    }

    /** The record type, for example {@code session}. */
    public String kind() {
        return kind;
    }

    /** The key that was not found. */
    public String key() {
        return key;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
