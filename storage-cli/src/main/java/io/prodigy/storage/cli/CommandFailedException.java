package io.prodigy.storage.cli;

/**
 * The command ran but could not do what was asked (an unknown job, a lock that is still held). The message says what
 * failed and what to do; it is printed without a stack trace and the exit code is 1.
 */
public final class CommandFailedException extends RuntimeException {

    public CommandFailedException(String message) {
        super(message);
    }
}
