package io.prodigy.storage.session;

/** Life-cycle state of a session. {@link #isTerminal()} states need no further updates. */
public enum SessionState {
    INITIALIZING,
    IN_PROGRESS,
    PAUSED,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
