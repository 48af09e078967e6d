package io.prodigy.storage.cli;

/**
 * A command found its arguments unusable after parsing (a directory that does not exist, options that exclude each
 * other). Reported like a picocli usage error: exit code 2, nothing attempted.
 */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
